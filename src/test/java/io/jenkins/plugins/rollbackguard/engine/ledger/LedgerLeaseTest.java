package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;

/** Tests the environment lease of {@link Ledger}: take, renew, release, break, compare-and-set, durability. */
class LedgerLeaseTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");
    private static final String ALICE = "cli:host-a:100:1700000000000";
    private static final String BUILD = "jenkins:shop/deploy#7";

    @TempDir
    private Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<String> warnings = new ArrayList<>();

    private Ledger open() {
        return open(Ledger.Options.defaults());
    }

    private Ledger open(final Ledger.Options options) {
        return Ledger.open(root, options.withClock(now::get).withWarnings(warnings::add));
    }

    private void later(final int seconds) {
        now.set(now.get().plusSeconds(seconds));
    }

    @Test
    void shouldTakeRenewReleaseAndTakeAgainWithTheNextEpoch() {
        Ledger ledger = open();

        LeaseClaim first = ledger.takeLease(PROD, ALICE, OwnerLiveness.never());
        assertThat(first.granted()).isTrue();
        assertThat(first.tookOverFrom()).isNull();
        assertThat(first.lease()).isEqualTo(new Lease(ALICE, 1, now.get(), now.get()));
        assertThat(ledger.lease(PROD)).contains(first.lease());

        later(10);
        Lease renewed = ledger.renewLease(PROD, ALICE, 1);
        assertThat(renewed.renewed()).isEqualTo(now.get());
        assertThat(renewed.since()).isEqualTo(first.lease().since());

        assertThat(ledger.releaseLease(PROD, ALICE, 1)).isTrue();
        assertThat(ledger.lease(PROD)).isEmpty();
        assertThat(ledger.releaseLease(PROD, ALICE, 1)).as("a second release changes nothing").isFalse();

        LeaseClaim second = ledger.takeLease(PROD, BUILD, OwnerLiveness.never());
        assertThat(second.lease().epoch()).isEqualTo(2);
        assertThat(open().auditTrail(PROD)).extracting(LedgerEvent::type).containsExactly(
                LedgerEvent.Type.LEASE_TAKEN, LedgerEvent.Type.LEASE_RENEWED, LedgerEvent.Type.LEASE_RELEASED,
                LedgerEvent.Type.LEASE_TAKEN);
    }

    @Test
    void shouldRefuseALiveHolderWithoutWritingAndTakeOverADeadOne() {
        Ledger ledger = open();
        ledger.takeLease(PROD, ALICE, OwnerLiveness.never());
        int events = ledger.auditTrail(PROD).size();

        LeaseClaim refused = ledger.takeLease(PROD, BUILD, owner -> false);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.lease().owner()).isEqualTo(ALICE);
        assertThat(ledger.auditTrail(PROD)).as("a refused take writes nothing").hasSize(events);

        later(5);
        List<String> asked = new ArrayList<>();
        LeaseClaim taken = ledger.takeLease(PROD, BUILD, owner -> asked.add(owner) && owner.equals(ALICE));
        assertThat(asked).containsExactly(ALICE);
        assertThat(taken.granted()).isTrue();
        assertThat(taken.tookOverFrom()).isEqualTo(ALICE);
        assertThat(taken.lease()).isEqualTo(new Lease(BUILD, 2, now.get(), now.get()));
        LedgerEvent event = open().events(PROD, 1).get(0);
        assertThat(event.type()).isEqualTo(LedgerEvent.Type.LEASE_TAKEN);
        assertThat(event.actor()).isEqualTo(BUILD);
        assertThat(event.reason()).contains(ALICE).contains("found dead").contains("epoch 2");

        assertThatThrownBy(() -> ledger.renewLease(PROD, ALICE, 1))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining(BUILD);
        assertThat(ledger.releaseLease(PROD, ALICE, 1)).as("the old holder cannot release the new lease").isFalse();
        assertThat(ledger.lease(PROD).orElseThrow().owner()).isEqualTo(BUILD);
    }

    @Test
    void shouldLetTheSameOwnerReconfirmItsLeaseAtTheSameEpoch() {
        ledgerWithBuildHolding();
        later(60);

        Ledger restarted = open(); // a controller restart: a new ledger instance, the same owner resumes
        LeaseClaim again = restarted.takeLease(PROD, BUILD, owner -> true);

        assertThat(again.granted()).isTrue();
        assertThat(again.tookOverFrom()).isNull();
        assertThat(again.lease().epoch()).isEqualTo(1);
        assertThat(again.lease().since()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(again.lease().renewed()).isEqualTo(now.get());
        assertThat(restarted.events(PROD, 1).get(0).reason()).contains("re-confirmed");
    }

    @Test
    void shouldBreakALeaseOnlyWithAReasonAndRecordWhoAndWhy() {
        Ledger ledger = ledgerWithBuildHolding();

        assertThatThrownBy(() -> ledger.breakLease(PROD, "alice", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason").hasMessageContaining("--reason");
        Lease broken = ledger.breakLease(PROD, "alice", "build 7 died with its controller").orElseThrow();

        assertThat(broken.owner()).isEqualTo(BUILD);
        assertThat(ledger.lease(PROD)).isEmpty();
        assertThat(ledger.breakLease(PROD, "bob", "again")).as("nothing to break").isEmpty();
        LedgerEvent event = open().auditTrail(PROD).get(1);
        assertThat(event.type()).isEqualTo(LedgerEvent.Type.LEASE_BROKEN);
        assertThat(event.actor()).isEqualTo("alice");
        assertThat(event.reason()).contains("build 7 died with its controller").contains(BUILD);
        assertThat(open().auditTrail(PROD)).hasSize(2);
        assertThat(ledger.takeLease(PROD, ALICE, OwnerLiveness.never()).lease().epoch()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheLeaseInSnapshotsAndAcrossCompaction() {
        Ledger ledger = open(Ledger.Options.defaults().withCompactAfter(1));
        ledger.takeLease(PROD, ALICE, OwnerLiveness.never());
        ledger.releaseLease(PROD, ALICE, 1);
        ledger.takeLease(PROD, BUILD, OwnerLiveness.never());
        ledger.renewLease(PROD, BUILD, 2);
        ledger.note(PROD, 0, "guard", "compact me");

        assertThat(root.resolve("production")).isDirectoryContaining("glob:**/snapshot-*.json");
        Lease reopened = open().lease(PROD).orElseThrow();
        assertThat(reopened.owner()).isEqualTo(BUILD);
        assertThat(reopened.epoch()).isEqualTo(2);
        assertThat(open().auditTrail(PROD)).extracting(LedgerEvent::type).startsWith(LedgerEvent.Type.LEASE_TAKEN,
                LedgerEvent.Type.LEASE_RELEASED, LedgerEvent.Type.LEASE_TAKEN, LedgerEvent.Type.LEASE_RENEWED);
    }

    @Test
    void shouldDropATornLeaseRecordAndKeepTheLeaseBeforeIt() throws IOException {
        Ledger ledger = ledgerWithBuildHolding();
        Path journal = root.resolve("production/journal-0.jsonl");
        String full = Files.readAllLines(journal).get(0).replace("\"seq\":1", "\"seq\":2").replace(BUILD, ALICE);
        Files.writeString(journal, full.substring(0, full.length() / 2), StandardOpenOption.APPEND);

        Ledger reopened = open();

        assertThat(reopened.lease(PROD).orElseThrow().owner()).isEqualTo(BUILD);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("dropped"));
        assertThat(reopened.releaseLease(PROD, BUILD, 1)).isTrue();
        assertThat(open().lease(PROD)).isEmpty();
        assertThat(ledger.lease(PROD)).as("another instance catches up").isEmpty();
    }

    @Test
    void shouldReadALedgerWrittenBeforeLeasesAndStartAtEpochOne() throws IOException {
        Path dir = Files.createDirectories(root.resolve("legacy"));
        Files.createFile(dir.resolve("ledger.lock"));
        Files.writeString(dir.resolve("journal-0.jsonl"),
                "{\"v\":2,\"seq\":1,\"at\":1735689600000,\"type\":\"CIRCUIT_OPENED\",\"pointId\":0,\"actor\":\"guard\","
                        + "\"reason\":\"tripped\",\"circuit\":{\"state\":\"OPEN\",\"reason\":\"tripped\","
                        + "\"since\":1735689600000,\"by\":\"guard\",\"pointId\":0}}\n");
        EnvironmentName legacy = EnvironmentName.of("legacy");

        Ledger ledger = open();
        assertThat(ledger.circuit(legacy).isOpen()).isTrue();
        assertThat(ledger.lease(legacy)).isEmpty();
        assertThat(ledger.takeLease(legacy, ALICE, OwnerLiveness.never()).lease().epoch()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("journal-0.jsonl")).get(1)).startsWith("{\"v\":3,");
    }

    @Test
    void shouldGrantTheLeaseToOneOwnerAtATimeInAnyOrderOfOperations() {
        Random random = new Random(20261201L);
        Ledger ledger = open();
        List<String> owners = List.of("cli:h:1:1", "cli:h:2:2", "jenkins:job#3", "jenkins:job#4");
        Set<String> dead = new java.util.HashSet<>();
        ledger.takeLease(PROD, "cli:h:0:0", OwnerLiveness.never());
        ledger.releaseLease(PROD, "cli:h:0:0", 1);
        String holder = null;
        long epoch = 1;
        for (int step = 0; step < 2_000; step++) {
            String owner = owners.get(random.nextInt(owners.size()));
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    LeaseClaim claim = ledger.takeLease(PROD, owner, dead::contains);
                    boolean expected = holder == null || holder.equals(owner) || dead.contains(holder);
                    assertThat(claim.granted()).as("step %d", step).isEqualTo(expected);
                    if (expected) {
                        epoch = owner.equals(holder) ? epoch : epoch + 1;
                        holder = owner;
                    }
                    assertThat(claim.lease().epoch()).isEqualTo(epoch);
                }
                case 2 -> {
                    boolean released = ledger.releaseLease(PROD, owner, epoch);
                    assertThat(released).isEqualTo(owner.equals(holder));
                    holder = released ? null : holder;
                }
                case 3 -> {
                    if (random.nextBoolean()) {
                        dead.add(owner);
                    }
                    else {
                        dead.remove(owner);
                    }
                }
                default -> {
                    if (random.nextInt(4) == 0 && holder != null) {
                        ledger.breakLease(PROD, "op", "step " + step);
                        holder = null;
                    }
                }
            }
            assertThat(ledger.lease(PROD).map(Lease::owner).orElse(null)).isEqualTo(holder);
        }
        assertThat(open().lease(PROD).map(Lease::owner).orElse(null)).isEqualTo(holder);
    }

    private Ledger ledgerWithBuildHolding() {
        Ledger ledger = open();
        assertThat(ledger.takeLease(PROD, BUILD, OwnerLiveness.never()).granted()).isTrue();
        return ledger;
    }
}
