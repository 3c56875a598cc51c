package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of guarded deploys through the packaged CLI jar: real CLI processes deploy a real
 * shop process (the demo's), whose health the probes read over HTTP.
 */
class GuardCliE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("e2e");

    @TempDir
    private Path work;

    private ShopFixture shop;
    private CliProcess cli;

    @BeforeEach
    void startShopAndAdoptGoodVersion() throws Exception {
        shop = new ShopFixture(work);
        cli = new CliProcess(work.resolve("home"));
    }

    @AfterEach
    void stopShop() throws Exception {
        shop.close();
    }

    private Ledger ledger() {
        return Ledger.open(work.resolve("home/ledger"));
    }

    private void adoptRunning(final Path artifact, final String... extra) throws Exception {
        shop.startDirectly(artifact);
        List<String> args = new ArrayList<>(List.of("adopt", "--policy", shop.policy("").toString(), "--artifact", artifact.toString()));
        args.addAll(List.of(extra));
        args.add("--");
        args.addAll(shop.deployCommand());
        CliProcess.Result adopted = cli.run(args.toArray(String[]::new));
        assertThat(adopted.exit()).as(adopted.output()).isZero();
    }

    private CliProcess.Result deploy(final Path policy, final Path artifact) {
        return cli.run(deployArgs(policy, artifact));
    }

    private String[] deployArgs(final Path policy, final Path artifact, final String... options) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact", artifact.toString()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(shop.deployCommand());
        return args.toArray(String[]::new);
    }

    @Test
    void shouldMarkAHealthyDeployGood() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        CliProcess.Result result = deploy(shop.policy(""), shop.artifact("1.1", 0));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("result: GOOD");
        assertThat(ledger().point(ENV, 2).status()).isEqualTo(PointStatus.GOOD);
        assertThat(ledger().lastGood(ENV)).get().extracting(RollbackPoint::id).isEqualTo(2L);
        assertThat(shop.runningVersion()).isEqualTo("1.1");
    }

    @Test
    void shouldRollABadDeployBackToTheLastGoodPoint() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        CliProcess.Result result = deploy(shop.policy(""), shop.artifact("2.0", 0.3));

        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("BAD: error-rate").contains("result: REVERTED");
        Ledger ledger = ledger();
        assertThat(ledger.point(ENV, 2).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(ledger.point(ENV, 3).revertOf()).isEqualTo(2);
        assertThat(ledger.point(ENV, 3).status()).isEqualTo(PointStatus.GOOD);
        assertThat(ledger.point(ENV, 3).artifacts()).isEqualTo(ledger.point(ENV, 1).artifacts());
        assertThat(ledger.circuit(ENV).isOpen()).as("frozen until someone resets it").isTrue();
        assertThat(shop.runningVersion()).isEqualTo("1.0");
    }

    @Test
    void shouldNeverLoopWhenTheRevertFailsToo() throws Exception {
        adoptRunning(shop.artifact("0.9", 0.5)); // adopted as good, but it is not

        CliProcess.Result result = deploy(shop.policy(""), shop.artifact("2.0", 0.3));

        assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(result.output()).contains("result: REVERT_FAILED");
        Ledger ledger = ledger();
        assertThat(ledger.size(ENV)).as("adopted, bad deploy, one failed revert: nothing more").isEqualTo(3);
        assertThat(ledger.point(ENV, 3).status()).isEqualTo(PointStatus.BAD);
        assertThat(ledger.point(ENV, 3).revertOf()).isEqualTo(2);
        assertThat(ledger.circuit(ENV).isOpen()).isTrue();
    }

    @Test
    void shouldThrottleAutomaticRollbacksWithTheCooldown() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        Path policy = shop.policy("");
        assertThat(deploy(policy, shop.artifact("2.0", 0.3)).exit()).isEqualTo(1);
        assertThat(cli.run("reset", "--env", "e2e", "--reason", "try again").exit()).isZero();

        CliProcess.Result second = deploy(policy, shop.artifact("2.1", 0.3));

        assertThat(second.exit()).as(second.output()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(second.output()).contains("throttled").contains("cooldown 600s");
        assertThat(ledger().size(ENV)).as("no revert point after the throttled trip").isEqualTo(4);
        assertThat(ledger().circuit(ENV).isOpen()).isTrue();
    }

    @Test
    void shouldFreezeInsteadOfRollingBackAcrossADataVersionChange() throws Exception {
        adoptRunning(shop.artifact("1.0", 0), "--data-version", "V1");

        CliProcess.Result result = deploy(shop.policy("dataVersion: {value: V2}\n"), shop.artifact("2.0", 0.3));

        assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(result.output()).contains("data version changed from V1 (#1) to V2 (#2)").contains("result: FROZEN");
        assertThat(ledger().size(ENV)).as("no revert was attempted").isEqualTo(2);
        assertThat(ledger().circuit(ENV).isOpen()).isTrue();
        assertThat(shop.runningVersion()).as("left for a person to decide").isEqualTo("2.0");
    }

    @Test
    void shouldStopTheDeployWhenABackupFails() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        // fails as it runs: one that cannot run at all is refused by preflight (PreflightCliE2ETest)
        CliProcess.Result result = deploy(shop.policy("backups: [{type: command, command: [/bin/sh, -c, 'exit 3', '{output}']}]\n"),
                shop.artifact("1.1", 0));

        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("backup of").contains("failed").contains("result: ABORTED");
        assertThat(ledger().point(ENV, 2).status()).isEqualTo(PointStatus.ABORTED);
        assertThat(shop.runningVersion()).as("the deploy command never ran").isEqualTo("1.0");
    }

    @Test
    void shouldSayInPreflightThatTheLastGoodPointNeedsABackupWithoutSeal() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        Path data = java.nio.file.Files.createDirectories(work.resolve("shop-data"));
        java.nio.file.Files.writeString(data.resolve("orders.csv"), "1,alice\n");
        Path policy = shop.policy("backups: [{type: files, path: " + data + "}]\n");
        CliProcess.Result good = deploy(policy, shop.artifact("1.1", 0));
        assertThat(good.exit()).as(good.output()).isZero();
        String backup = ledger().point(ENV, 2).backups().get(0).id();
        java.nio.file.Files.delete(work.resolve("home/backups/store.key")); // as a store from before the seal
        java.nio.file.Files.delete(work.resolve("home/backups").resolve(ENV.value()).resolve(backup).resolve("manifest.sig"));

        CliProcess.Result next = deploy(policy, shop.artifact("1.2", 0));

        assertThat(next.exit()).as(next.output()).isZero();
        assertThat(next.output()).contains("needs backup " + backup + ", which has no seal of this store")
                .contains("rollback-guard backup trust --env e2e --backup " + backup).contains("result: GOOD");
    }

    @Test
    void shouldSerialiseConcurrentDeploysToOneEnvironment() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        Path refuse = shop.policy("concurrent: refuse\n");
        Path wait = shop.policy("concurrent: wait\n");

        Process first = cli.start(deployArgs(wait, shop.artifact("1.1", 0)));
        Thread.sleep(1500); // let the first one take the environment
        CliProcess.Result refused = deploy(refuse, shop.artifact("1.2", 0));
        Process waiting = cli.start(deployArgs(wait, shop.artifact("1.3", 0)));
        CliProcess.Result firstResult = CliProcess.finish(first, Duration.ofMinutes(2));
        CliProcess.Result waitedResult = CliProcess.finish(waiting, Duration.ofMinutes(2));

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.output()).contains("is busy");
        assertThat(firstResult.exit()).as(firstResult.output()).isZero();
        assertThat(waitedResult.exit()).as(waitedResult.output()).isZero();
        Ledger ledger = ledger();
        RollbackPoint one = ledger.point(ENV, 2);
        RollbackPoint two = ledger.point(ENV, 3);
        assertThat(two.createdAt()).as("the second deploy began after the first was decided").isAfterOrEqualTo(one.decidedAt());
    }

    @Test
    void shouldLeaveAReadableLedgerWhenKilledMidWatch() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        Path slow = shop.policy("").resolveSibling("slow.yaml");
        java.nio.file.Files.writeString(slow, java.nio.file.Files.readString(shop.policy("")).replace("count: 4", "count: 60"));
        Process deploy = cli.start(deployArgs(slow, shop.artifact("1.1", 0)));
        awaitLine(deploy, "watching");

        deploy.toHandle().destroyForcibly(); // SIGKILL
        deploy.waitFor(10, TimeUnit.SECONDS);

        CliProcess.Result status = cli.run("status", "--env", "e2e");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("INTERRUPTED");
        assertThat(ledger().point(ENV, 2).status()).isEqualTo(PointStatus.INTERRUPTED);
        CliProcess.Result refused = deploy(shop.policy(""), shop.artifact("1.2", 0));
        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.output()).contains("was INTERRUPTED while watching").contains("resume").contains("--force");
        CliProcess.Result next = cli.run(deployArgs(shop.policy(""), shop.artifact("1.2", 0), "--force", "hotfix"));
        assertThat(next.exit()).as(next.output()).isZero();
        assertThat(next.output()).contains("deploy forced past e2e#2").contains("e2e#2 (cli ").contains("stays INTERRUPTED");
        assertThat(ledger().point(ENV, 2).status()).isEqualTo(PointStatus.INTERRUPTED);
    }

    private static void awaitLine(final Process process, final String text) throws Exception {
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("the CLI never printed '" + text + "'");
    }

    @Test
    void shouldResetTheCircuitAndRecordWhoDidIt() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        deploy(shop.policy(""), shop.artifact("2.0", 0.3));

        CliProcess.Result frozen = deploy(shop.policy(""), shop.artifact("1.1", 0));
        CliProcess.Result reset = cli.run("reset", "--env", "e2e", "--reason", "fixed the payment config", "--by", "alice");

        assertThat(frozen.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(frozen.output()).contains("is frozen").contains("circuit OPEN");
        assertThat(reset.exit()).isZero();
        Circuit circuit = ledger().circuit(ENV);
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.by()).isEqualTo("alice");
    }

    @Test
    void shouldRehearseARollbackWithADrill() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        assertThat(deploy(shop.policy(""), shop.artifact("1.1", 0)).exit()).isZero();

        CliProcess.Result drill = cli.run("drill", "--env", "e2e");
        CliProcess.Result metrics = cli.run("metrics", "--env", "e2e", "--json");

        assertThat(drill.exit()).as(drill.output()).isZero();
        assertThat(drill.output()).contains("drill: time to restore").contains("OK")
                .as("the ledger's drill figure, the one metrics counts").doesNotContain("time to restore not recorded");
        java.util.regex.Matcher figure = java.util.regex.Pattern.compile("drill: time to restore (\\S+ \\S+) ")
                .matcher(drill.output());
        assertThat(figure.find()).as(drill.output()).isTrue();
        CliProcess.Result status = cli.run("metrics", "--env", "e2e");
        assertThat(status.output()).as("metrics reports the same drill figure").contains(figure.group(1));
        CliProcess.Split again = cli.runSplit("drill", "--env", "e2e", "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out());
        assertThat(report.path("outcome").asText()).as(again.out()).isEqualTo("OK");
        assertThat(report.path("drill").path("drill").asBoolean()).as(again.out()).isTrue();
        assertThat(report.path("drill").path("timeToRestoreMs").isNumber()).as(again.out()).isTrue();
        assertThat(again.err()).as("the timeline goes to standard error").contains("drill: time to restore");
        assertThat(shop.runningVersion()).as("rolled forward again").isEqualTo("1.1");
        assertThat(metrics.output()).as("drills are not deploys").contains("\"deploys\" : 1");
        assertThat(cli.run("drill", "--env", "production").exit()).isEqualTo(ExitCodes.REFUSED);
    }

    /** The engine's refusals, through the command line: one good point, then a frozen environment. */
    @Test
    void shouldRefuseADrillWithOneGoodPointOrAFrozenEnvironment() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        CliProcess.Result one = cli.run("drill", "--env", "e2e");
        deploy(shop.policy(""), shop.artifact("2.0", 0.3)); // trips: the circuit opens
        int points = ledger().size(ENV);
        CliProcess.Result frozen = cli.run("drill", "--env", "e2e");

        assertThat(one.exit()).as(one.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(one.output()).contains("environment 'e2e' needs two good points with artifacts for a drill; it has "
                + "only e2e#1");
        assertThat(frozen.exit()).as(frozen.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(frozen.output()).contains("environment 'e2e' is frozen (circuit OPEN): reset it before a drill");
        assertThat(ledger().size(ENV)).as("a refused drill records nothing").isEqualTo(points);
    }

    @Test
    void shouldStopTheRevertWhenABeforeRevertHookFails() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        CliProcess.Result result = deploy(shop.policy("""
                hooks:
                  beforeRevert: [{name: pause-stock-sync, command: [sh, -c, "echo sync busy >&2; exit 3"]}]
                """), shop.artifact("2.0", 0.3));

        assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(result.output()).contains("beforeRevert hook 'pause-stock-sync' failed: exit code 3: sync busy")
                .contains("the revert did not run");
        assertThat(ledger().size(ENV)).as("no revert point").isEqualTo(2);
        assertThat(ledger().circuit(ENV).isOpen()).isTrue();
        assertThat(shop.runningVersion()).isEqualTo("2.0");
    }

    @Test
    void shouldRunAfterRevertHooksOnceTheRevertIsGood() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        Path marker = work.resolve("coupons-compensated");

        CliProcess.Result result = deploy(shop.policy("""
                hooks:
                  afterRevert: [{name: compensate-coupons, command: [sh, -c, "echo bad=$ROLLBACK_GUARD_BAD_POINT > %s"]}]
                """.formatted(marker)), shop.artifact("2.0", 0.3));

        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("afterRevert hook 'compensate-coupons': ok");
        assertThat(java.nio.file.Files.readString(marker).strip()).isEqualTo("bad=2");
    }

    @Test
    void shouldRollBackByHandToAChosenPoint() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        assertThat(deploy(shop.policy(""), shop.artifact("1.1", 0)).exit()).isZero();

        CliProcess.Result wrong = cli.run("rollback", "--env", "e2e", "--to", "nine");
        CliProcess.Result result = cli.run("rollback", "--env", "e2e", "--to", "1");

        assertThat(wrong.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.output()).contains("--to: 'nine'");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(shop.runningVersion()).isEqualTo("1.0");
        Ledger ledger = ledger();
        assertThat(ledger.point(ENV, 2).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(ledger.point(ENV, 3).revertOf()).isEqualTo(2);
        assertThat(ledger.point(ENV, 3).attributes()).containsEntry("trigger", "manual");
    }
}
