package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of the operator's decisions through the packaged CLI jar, against the demo shop as a real process:
 * a deploy refused while a SIGKILLed deploy waits for a decision, {@code resume} of that deploy's watch (which trips on
 * the bad version and reverts it), {@code mark} good and bad, and {@code rollback --across-data-version} with and
 * without {@code --restore-data}; each decision is in the ledger with who and why.
 */
class DecisionsCliE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("e2e");

    @TempDir
    private Path work;

    private ShopFixture shop;
    private CliProcess cli;

    @BeforeEach
    void startShop() throws Exception {
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

    private void adopt(final Path artifact, final String... extra) throws Exception {
        shop.startDirectly(artifact);
        List<String> args = new ArrayList<>(List.of("adopt", "--policy", shop.policy("").toString(), "--artifact",
                artifact.toString()));
        args.addAll(List.of(extra));
        args.add("--");
        args.addAll(shop.deployCommand());
        CliProcess.Result adopted = cli.run(args.toArray(String[]::new));
        assertThat(adopted.exit()).as(adopted.output()).isZero();
    }

    private String[] deployArgs(final Path policy, final Path artifact, final String... options) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact",
                artifact.toString()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(shop.deployCommand());
        return args.toArray(String[]::new);
    }

    /** A policy whose watch waits 8 s before its first sample and then samples long: a deploy to kill mid-watch. */
    private Path slowPolicy() throws Exception {
        Path slow = work.resolve("slow.yaml");
        Files.writeString(slow, Files.readString(shop.policy("")).replace("count: 4", "count: 6")
                .replace("initialDelay: 1s", "initialDelay: 8s"));
        return slow;
    }

    /** Starts a deploy, waits until it watches, and SIGKILLs it: no release, no verdict, no last write. */
    private void killMidWatch(final Path policy, final Path artifact) throws Exception {
        Process deploy = cli.start(deployArgs(policy, artifact));
        awaitLine(deploy, "watching 1 probe(s)");
        deploy.toHandle().destroyForcibly();
        assertThat(deploy.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private List<LedgerEvent> decisions() {
        return ledger().auditTrail(ENV).stream().filter(e -> e.type() == LedgerEvent.Type.DECISION).toList();
    }

    @Test
    void shouldRefuseADeployWhileAKilledDeployWaitsAndResumeItsWatchWhichRevertsTheBadVersion() throws Exception {
        adopt(shop.artifact("1.0", 0));
        killMidWatch(slowPolicy(), shop.artifact("2.0", 0.3));
        assertThat(shop.runningVersion()).as("the bad version runs, unwatched").isEqualTo("2.0");

        CliProcess.Result status = cli.run("status", "--env", "e2e", "--long");
        CliProcess.Result refused = cli.run(deployArgs(shop.policy(""), shop.artifact("1.2", 0)));

        assertThat(status.output()).contains("waiting:   e2e#2").contains("is INTERRUPTED with its guard unfinished")
                .contains("rollback-guard resume --env e2e");
        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.output()).contains("environment 'e2e' waits for a decision: e2e#2")
                .contains("was INTERRUPTED while watching").contains("rollback-guard resume --env e2e --reason")
                .contains("rollback-guard mark --env e2e --point 2 --good|--bad --reason").contains("--force REASON");
        assertThat(ledger().size(ENV)).as("the refused deploy recorded nothing").isEqualTo(2);

        CliProcess.Result noReason = cli.run("resume", "--env", "e2e");
        CliProcess.Split resumed = cli.runSplit("resume", "--env", "e2e", "--reason", "the CI runner was killed",
                "--by", "alice", "--json");

        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(resumed.err()).contains("took the lease of 'e2e' as cli:").as("it was free: nothing to re-confirm").contains("resuming e2e#2")
                .contains("in phase WATCHING").contains("BAD: error-rate");
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resumed.out());
        assertThat(report.path("command").asText()).as(resumed.out()).isEqualTo("resume");
        assertThat(report.path("outcome").asText()).isEqualTo("REVERTED");
        assertThat(report.path("circuit").path("state").asText()).isEqualTo("OPEN");
        assertThat(report.path("point").path("id").asLong()).isEqualTo(2);
        assertThat(report.path("incident").path("timeToDetectMs").isNumber()).as(resumed.out()).isTrue();
        Ledger ledger = ledger();
        assertThat(ledger.point(ENV, 2).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(ledger.point(ENV, 3).revertOf()).isEqualTo(2);
        assertThat(ledger.point(ENV, 3).status()).isEqualTo(PointStatus.GOOD);
        assertThat(shop.runningVersion()).as("reverted to the adopted version").isEqualTo("1.0");
        assertThat(decisions()).singleElement().satisfies(decision -> {
            assertThat(decision.actor()).isEqualTo("alice");
            assertThat(decision.pointId()).isEqualTo(2);
            assertThat(decision.reason()).contains("resume the watch of e2e#2").contains("the CI runner was killed");
        });
        assertThat(ledger.lease(ENV)).as("released").isEmpty();
        assertThat(ledger.auditTrail(ENV)).as("the killed deploy's lease was taken over, not broken").anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(LedgerEvent.Type.LEASE_TAKEN);
            assertThat(e.reason()).contains("found dead");
        });
    }

    @Test
    void shouldMarkAKilledDeployGoodAndTheTargetOfAFailedRevertBad() throws Exception {
        adopt(shop.artifact("0.9", 0.5)); // adopted as good, but it is not
        CliProcess.Result tripped = cli.run(deployArgs(shop.policy(""), shop.artifact("2.0", 0.3)));
        assertThat(tripped.output()).as(tripped.output()).contains("result: REVERT_FAILED")
                .contains("e2e#1 (cli ").contains("is no rollback target any more");

        CliProcess.Result points = cli.run("points", "--env", "e2e");
        CliProcess.Result markedBad = cli.run("mark", "--env", "e2e", "--point", "1", "--bad", "--reason",
                "0.9 fails its health too", "--by", "bob");
        CliProcess.Result again = cli.run("mark", "--env", "e2e", "--point", "1", "--bad", "--reason", "sure");

        assertThat(points.output()).contains("ADOPTED (revert to it failed: mark it)");
        assertThat(ledger().lastGood(ENV)).as("a failed revert target is no last good").isEmpty();
        assertThat(markedBad.exit()).as(markedBad.output()).isZero();
        assertThat(markedBad.output()).contains("is BAD now (marked bad by bob: 0.9 fails its health too)");
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.output()).contains("is already BAD: there is nothing to mark");

        // a person installs a good version by hand, then resets; a deploy killed mid-watch is then marked good
        shop.startDirectly(shop.artifact("1.0", 0));
        assertThat(cli.run("reset", "--env", "e2e", "--reason", "1.0 installed by hand").exit()).isZero();
        killMidWatch(slowPolicy(), shop.artifact("1.1", 0));
        CliProcess.Result markedGood = cli.run("mark", "--env", "e2e", "--point", "4", "--good", "--reason",
                "checked the shop by hand", "--by", "carol");
        CliProcess.Result status = cli.run("status", "--env", "e2e", "--long");
        CliProcess.Result next = cli.run(deployArgs(shop.policy(""), shop.artifact("1.2", 0)));

        assertThat(markedGood.exit()).as(markedGood.output()).isZero();
        assertThat(markedGood.output()).contains("e2e#4 (cli ").contains("is GOOD now").contains("last good: e2e#4");
        assertThat(status.output()).contains("decision:").contains("by carol: marked good by carol: checked the shop by hand")
                .doesNotContain("waiting:");
        assertThat(next.exit()).as("no point waits any more: " + next.output()).isZero();
        assertThat(decisions()).extracting(LedgerEvent::actor).containsExactly("bob", "carol");
        assertThat(decisions()).extracting(LedgerEvent::to).containsExactly(PointStatus.BAD, PointStatus.GOOD);
    }

    @Test
    void shouldRollBackAcrossADataVersionChangeWithAndWithoutRestoringItsData() throws Exception {
        Path data = Files.createDirectories(work.resolve("shop-data"));
        Path orders = Files.writeString(data.resolve("orders.csv"), "1,alice\n");
        String backups = "backups: [{type: files, path: %s}]\n".formatted(data);
        adopt(shop.artifact("1.0", 0), "--data-version", "V1");
        Path v1 = shop.policy(backups + "dataVersion: {value: V1}\n");
        Path v2 = shop.policy(backups + "dataVersion: {value: V2}\n");
        assertThat(cli.run(deployArgs(v1, shop.artifact("1.1", 0))).exit()).isZero(); // #2, backup of "1,alice"
        assertThat(cli.run(deployArgs(v2, shop.artifact("2.0", 0))).exit()).isZero(); // #3, data version V2
        Files.writeString(orders, "1,alice\n2,bob-written-by-v2\n");

        CliProcess.Result refused = cli.run("rollback", "--env", "e2e");
        CliProcess.Result noReason = cli.run("rollback", "--env", "e2e", "--across-data-version");
        CliProcess.Result lonely = cli.run("rollback", "--env", "e2e", "--restore-data", "--reason", "x");

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(refused.output()).contains("data version changed from V1 (#2) to V2 (#3)")
                .contains("rollback-guard rollback --env e2e --to 2 --across-data-version")
                .contains("result: MANUAL DECISION NEEDED").contains("circuit: CLOSED (not frozen)")
                .doesNotContain("result: FROZEN");
        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.output()).contains("--reason: a reason is required with --across-data-version");
        assertThat(lonely.exit()).isEqualTo(ExitCodes.USAGE);

        CliProcess.Result kept = cli.run("rollback", "--env", "e2e", "--across-data-version", "--reason",
                "V2 only added a column", "--by", "alice");

        assertThat(kept.exit()).as(kept.output()).isZero();
        assertThat(kept.output()).contains("data-loss window: none restored; the data stays at version V2")
                .contains("the code of e2e#2").contains("expects version V1").contains("result: REVERTED");
        assertThat(shop.runningVersion()).isEqualTo("1.1");
        assertThat(Files.readString(orders)).as("the data was not touched").contains("bob-written-by-v2");

        assertThat(cli.run(deployArgs(v2, shop.artifact("2.1", 0))).exit()).isZero(); // #5 on V2 again
        Files.writeString(orders, "1,alice\n3,carol-written-by-v2.1\n");
        CliProcess.Result restored = cli.run("rollback", "--env", "e2e", "--to", "2", "--across-data-version",
                "--restore-data", "--reason", "V2.1 corrupted the orders", "--by", "bob");

        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("data-loss window: 1 backup(s) of e2e#2").contains("is lost")
                .contains("restored files backup").contains("result: REVERTED");
        assertThat(Files.readString(orders)).as("the backup of #2 restored").isEqualTo("1,alice\n");
        assertThat(shop.runningVersion()).isEqualTo("1.1");
        List<LedgerEvent> decisions = decisions();
        assertThat(decisions).extracting(LedgerEvent::actor).containsExactly("alice", "bob");
        assertThat(decisions.get(0).reason()).contains("V2 -> V1 to #2 allowed by alice: V2 only added a column");
        assertThat(decisions.get(1).reason()).contains("allowed by bob: V2.1 corrupted the orders").contains("is lost");
        RollbackPoint revert = ledger().history(ENV, 0, 1).get(0);
        assertThat(revert.revertOf()).isEqualTo(5);
        assertThat(revert.status()).isEqualTo(PointStatus.GOOD);
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
