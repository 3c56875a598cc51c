package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of the environment lease through the packaged CLI jar: {@code status} shows it, a deploy is
 * refused while another run holds it, {@code lease break} frees it with a recorded reason, and a SIGKILLed deploy's
 * lease is taken over by the next deploy on the same host.
 */
class LeaseCliE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("e2e");
    private static final String BUILD = "jenkins:shop/deploy#7";

    @TempDir
    private Path work;

    private ShopFixture shop;
    private CliProcess cli;

    @BeforeEach
    void startShop() throws Exception {
        shop = new ShopFixture(work);
        cli = new CliProcess(work.resolve("home"));
        Path artifact = shop.artifact("1.0", 0);
        shop.startDirectly(artifact);
        List<String> args = new ArrayList<>(List.of("adopt", "--policy", shop.policy("").toString(), "--artifact",
                artifact.toString(), "--"));
        args.addAll(shop.deployCommand());
        CliProcess.Result adopted = cli.run(args.toArray(String[]::new));
        assertThat(adopted.exit()).as(adopted.output()).isZero();
    }

    @AfterEach
    void stopShop() throws Exception {
        shop.close();
    }

    private Ledger ledger() {
        return Ledger.open(work.resolve("home/ledger"));
    }

    private String[] deployArgs(final Path policy, final Path artifact) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact",
                artifact.toString(), "--"));
        args.addAll(shop.deployCommand());
        return args.toArray(String[]::new);
    }

    @Test
    void shouldShowTheLeaseRefuseADeployAndBreakItWithARecordedReason() throws Exception {
        ledger().takeLease(ENV, BUILD, OwnerLiveness.never()); // a build holds it: no CLI may find it dead

        CliProcess.Result status = cli.run("status", "--env", "e2e", "--long");
        assertThat(status.output()).containsPattern("lease: +held by " + BUILD + " since \\S+ \\(epoch 1\\)");
        CliProcess.Result refused = cli.run(deployArgs(shop.policy("concurrent: refuse\n"), shop.artifact("1.1", 0)));
        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.output()).contains("environment 'e2e' is busy").contains("held by " + BUILD)
                .contains("rollback-guard lease break --env e2e --reason");

        CliProcess.Result noReason = cli.run("lease", "break", "--env", "e2e");
        assertThat(noReason.exit()).as(noReason.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.output()).contains("--reason");
        CliProcess.Result blank = cli.run("lease", "break", "--env", "e2e", "--reason", " ");
        assertThat(blank.exit()).as(blank.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(blank.output()).contains("reason: a reason is required").doesNotContain("Exception");
        assertThat(ledger().lease(ENV)).isPresent();

        CliProcess.Result broken = cli.run("lease", "break", "--env", "e2e", "--reason",
                "build 7 died with the old controller", "--by", "alice");
        assertThat(broken.exit()).as(broken.output()).isZero();
        assertThat(broken.output()).contains("broke the lease held by " + BUILD).contains("(epoch 1)");
        CliProcess.Result after = cli.run("status", "--env", "e2e", "--long");
        assertThat(after.output()).containsPattern("lease: +free")
                .contains("LEASE_BROKEN by alice: build 7 died with the old controller");
        assertThat(cli.run("lease", "show", "--env", "e2e").output()).contains("e2e: lease free");
        assertThat(cli.run("lease", "break", "--env", "e2e", "--reason", "again").output())
                .contains("nothing to break");

        CliProcess.Result deployed = cli.run(deployArgs(shop.policy("concurrent: refuse\n"), shop.artifact("1.1", 0)));
        assertThat(deployed.exit()).as(deployed.output()).isZero();
        assertThat(deployed.output()).contains("took the lease of 'e2e' as cli:").contains("(epoch 2)");
        List<LedgerEvent> trail = ledger().auditTrail(ENV);
        assertThat(trail).extracting(LedgerEvent::type).containsSubsequence(LedgerEvent.Type.LEASE_TAKEN,
                LedgerEvent.Type.LEASE_BROKEN, LedgerEvent.Type.LEASE_TAKEN, LedgerEvent.Type.POINT_RECORDED,
                LedgerEvent.Type.LEASE_RELEASED);
        assertThat(ledger().lease(ENV)).as("released at the end").isEmpty();
    }

    @Test
    void shouldLetTheNextDeployTakeOverTheLeaseOfASigkilledOne() throws Exception {
        Path slow = shop.policy("").resolveSibling("slow.yaml");
        Files.writeString(slow, Files.readString(shop.policy("")).replace("count: 4", "count: 60"));
        Process deploy = cli.start(deployArgs(slow, shop.artifact("1.1", 0)));
        awaitLine(deploy, "watching");
        String owner = ledger().lease(ENV).orElseThrow().owner();
        assertThat(owner).endsWith(":" + deploy.pid() + ":" + deploy.info().startInstant().orElseThrow().toEpochMilli());

        deploy.toHandle().destroyForcibly(); // SIGKILL: the lease is never released
        assertThat(deploy.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.run("status", "--env", "e2e", "--long").output()).contains("held by " + owner);

        long started = System.nanoTime();
        // the killed deploy waits for a decision: this one passes it by force (DecisionsCliE2ETest resumes it)
        List<String> forced = new ArrayList<>(List.of(deployArgs(shop.policy("concurrent: refuse\n"), shop.artifact("1.2", 0))));
        forced.addAll(1, List.of("--force", "the killed run is checked"));
        CliProcess.Result next = CliProcess.finish(cli.start(forced.toArray(String[]::new)), Duration.ofMinutes(2));
        assertThat(next.exit()).as(next.output()).isZero();
        assertThat(next.output()).contains("took over the lease of 'e2e'").contains("its holder " + owner + " is gone");
        assertThat(ledger().auditTrail(ENV)).filteredOn(e -> e.type() == LedgerEvent.Type.LEASE_TAKEN).last()
                .satisfies(e -> assertThat(e.reason()).contains(owner).contains("found dead"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(2));
    }

    @Test
    void shouldAbortTheDeployOnSigtermDuringTheDeployCommandAndDuringTheWatch() throws Exception {
        Path slow = shop.policy("").resolveSibling("slow.yaml");
        Files.writeString(slow, Files.readString(shop.policy("")).replace("count: 4", "count: 60"));
        // 1. during the deploy command: its process is killed, the point is ABORTED, nothing frozen
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", slow.toString(), "--artifact",
                shop.artifact("1.1", 0).toString(), "--", "sh", "-c", "exec sleep 120"));
        Process deploying = cli.start(args.toArray(String[]::new));
        awaitLine(deploying, "deploying ");
        long sleeper = 0;
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); sleeper == 0 && System.nanoTime() < until; ) {
            sleeper = deploying.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(0);
            Thread.sleep(50);
        }
        assertThat(sleeper).as("the deploy command runs").isPositive();
        deploying.destroy(); // SIGTERM, as a person's kill or a CI job's timeout sends
        assertThat(deploying.waitFor(30, TimeUnit.SECONDS)).isTrue();
        RollbackPoint stopped = ledger().history(ENV, 0, 1).get(0);
        assertThat(stopped.status()).as(stopped.verdict()).isEqualTo(PointStatus.ABORTED);
        assertThat(stopped.verdict()).contains("stopped by a person");
        assertThat(ledger().circuit(ENV).isOpen()).isFalse();
        assertThat(ledger().lease(ENV)).as("released before the process exited").isEmpty();
        assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).as("deploy command").isFalse();

        // 2. during the watch
        Process watching = cli.start(deployArgs(slow, shop.artifact("1.2", 0)));
        awaitLine(watching, "watching");
        watching.destroy();
        assertThat(watching.waitFor(30, TimeUnit.SECONDS)).isTrue();
        RollbackPoint watched = ledger().history(ENV, 0, 1).get(0);
        assertThat(watched.id()).isGreaterThan(stopped.id());
        assertThat(watched.status()).as(watched.verdict()).isEqualTo(PointStatus.ABORTED);
        assertThat(ledger().circuit(ENV).isOpen()).isFalse();
        assertThat(ledger().lease(ENV)).isEmpty();
        assertThat(ledger().history(ENV, 0, 5)).noneMatch(p -> p.isRevert());
    }

    private static void awaitLine(final Process process, final String text) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("the CLI never printed '" + text + "'");
    }
}
