package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;

/**
 * The environment lease across real processes: each holder is a child JVM ({@link LeaseHolderProcess}); a crash is a
 * SIGKILL. A CLI holder is taken over only once its pid is gone; a Jenkins holder only by its own build re-confirming
 * it or by a recorded break.
 */
@Tag("slow")
class EnvironmentLeaseProcessTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");
    private static final String BUILD = "jenkins:shop/deploy#7";

    @TempDir
    private Path root;

    private final List<Holder> holders = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        holders.forEach(holder -> holder.process.toHandle().destroyForcibly());
    }

    @Test
    void shouldTakeOverTheLeaseOfASigkilledHolderOnlyOnceItIsGone() throws Exception {
        Holder first = start("process", 0);
        String[] held = first.expect("HELD ").split(" ");
        String firstOwner = held[0];
        assertThat(firstOwner).startsWith("cli:").endsWith(":" + first.process.pid() + ":"
                + first.process.info().startInstant().orElseThrow().toEpochMilli());

        Holder refused = start("process", 0);
        assertThat(refused.expect("REFUSED ")).contains("environment 'shop' is busy").contains("held by " + firstOwner)
                .contains("epoch 1").contains("rollback-guard lease break --env shop --reason");

        first.process.toHandle().destroyForcibly(); // SIGKILL: no release, no finally
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Holder next = start("process", 0);
        String[] taken = next.expect("HELD ").split(" ", 3);
        assertThat(taken[0]).isNotEqualTo(firstOwner);
        assertThat(taken[1]).isEqualTo("2");
        assertThat(taken[2]).contains("taken over").contains(firstOwner).contains("found dead");
        LedgerEvent event = Ledger.open(root).events(ENV, 1).get(0);
        assertThat(event.type()).isEqualTo(LedgerEvent.Type.LEASE_TAKEN);
        assertThat(event.actor()).isEqualTo(taken[0]);
    }

    @Test
    void shouldMakeTheNextRunWaitForALiveHolderUntilItReleases() throws Exception {
        Holder first = start("process", 0);
        first.expect("HELD ");
        Ledger ledger = Ledger.open(root);
        LeaseOwners self = LeaseOwners.process();

        assertThatThrownBy(() -> EnvironmentLease.take(ledger, ENV, self, Duration.ZERO, line -> { }))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("waited 0s");
        long started = System.nanoTime();
        CompletableFuture<EnvironmentLease> waiting = CompletableFuture.supplyAsync(
                () -> EnvironmentLease.take(ledger, ENV, self, Duration.ofSeconds(60), line -> { }));
        Thread.sleep(1500);
        assertThat(waiting).as("still waiting while the holder lives").isNotDone();

        first.send("release");
        assertThat(first.expect("RELEASED ")).isEqualTo("true");
        try (EnvironmentLease lease = waiting.get(30, TimeUnit.SECONDS)) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
            assertThat(lease.lease().owner()).isEqualTo(self.self());
            assertThat(lease.lease().epoch()).isEqualTo(2);
        }
        assertThat(ledger.lease(ENV)).as("closing releases").isEmpty();
    }

    @Test
    void shouldLetAResumedBuildKeepItsLeaseAndNeverBeOvertaken() throws Exception {
        Holder build = start(BUILD, 0);
        assertThat(build.expect("HELD ")).startsWith(BUILD + " 1 ");
        build.send("exit"); // the controller goes down without releasing
        build.expect("EXIT");
        assertThat(build.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Holder other = start("process", 1);
        assertThat(other.expect("REFUSED ")).as("a build is never found dead by a CLI").contains("held by " + BUILD);

        Holder resumed = start(BUILD, 0); // the same build after the restart
        String[] held = resumed.expect("HELD ").split(" ", 3);
        assertThat(held[1]).as("a resumed owner keeps its epoch").isEqualTo("1");
        assertThat(held[2]).contains("re-confirmed");
        resumed.send("renew");
        assertThat(resumed.expect("RENEWED ")).isEqualTo("1");
        resumed.send("release");
        assertThat(resumed.expect("RELEASED ")).isEqualTo("true");
    }

    @Test
    void shouldRecordABreakAndLeaveTheOldHolderWithoutItsLease() throws Exception {
        Holder build = start(BUILD, 0);
        build.expect("HELD ");
        Ledger ledger = Ledger.open(root);

        Lease broken = ledger.breakLease(ENV, "alice", "build 7 was lost with its agent").orElseThrow();

        assertThat(broken.owner()).isEqualTo(BUILD);
        build.send("renew");
        assertThat(build.expect("LOST ")).contains("no longer held by " + BUILD);
        build.send("release");
        assertThat(build.expect("RELEASED ")).isEqualTo("false");
        List<LedgerEvent> trail = Ledger.open(root).auditTrail(ENV);
        assertThat(trail).extracting(LedgerEvent::type)
                .containsExactly(LedgerEvent.Type.LEASE_TAKEN, LedgerEvent.Type.LEASE_BROKEN);
        assertThat(trail.get(1).actor()).isEqualTo("alice");
        assertThat(trail.get(1).reason()).contains("build 7 was lost with its agent").contains(BUILD);
        Holder next = start("process", 0);
        assertThat(next.expect("HELD ").split(" ")[1]).isEqualTo("2");
    }

    private Holder start(final String owner, final int waitSeconds) throws IOException {
        Holder holder = new Holder(LeaseHolderProcess.start(root.toString(), ENV.value(), owner,
                Integer.toString(waitSeconds)));
        holders.add(holder);
        return holder;
    }

    /** A child and its pipes. */
    private static final class Holder {
        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;

        Holder(final Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        void send(final String command) {
            in.println(command);
        }

        /** Reads lines until one starts with the prefix; returns the rest of it. */
        String expect(final String prefix) throws IOException {
            String line;
            List<String> seen = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
                seen.add(line);
            }
            throw new AssertionError("the child ended without printing '" + prefix + "'; it printed " + seen);
        }
    }
}
