package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL at random moments, again and again, and checks after each kill that
 * the ledger opens and holds every point the child acknowledged.
 */
@Tag("slow")
class LedgerCrashTest {
    private static final int ROUNDS = 50;
    private static final EnvironmentName ENV = EnvironmentName.of("crash");

    @TempDir
    private Path root;

    @Test
    void shouldLoseNoAcknowledgedPointWhenKilled() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Set<Long> acknowledged = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        // Compact often so that kills also land during snapshot writes.
        for (int round = 0; round < ROUNDS; round++) {
            Process child = LedgerWriterProcess.start(root.toString(), ENV.value(), "w" + round, "0");
            List<Long> acks = readAcksUntilKilled(child, random.nextInt(40), random.nextInt(300));
            acknowledged.addAll(acks);

            Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withWarnings(warnings::add).withCompactAfter(50));
            int size = ledger.size(ENV);
            assertThat(size).as("seed %d round %d: points after the kill", seed, round)
                    .isGreaterThanOrEqualTo(acknowledged.size());
            for (long id : acks) {
                assertThat(ledger.point(ENV, id).attributes()).as("seed %d round %d point %d", seed, round, id)
                        .containsEntry("writer", "w" + round);
            }
            // The next writer compacts through the same files; write a little to force compaction now and then.
            if (round % 5 == 4) {
                for (int i = 0; i < 60; i++) {
                    ledger.note(ENV, 0, "test", "filler " + i);
                }
            }
        }
        Ledger ledger = Ledger.open(root);
        assertThat(ledger.size(ENV)).isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(acknowledged).as("seed %d: the children acknowledged points", seed).hasSizeGreaterThan(ROUNDS);
        assertThat(ledger.events(ENV, 500)).extracting(LedgerEvent::type).contains(LedgerEvent.Type.STATUS_CHANGED);
    }

    /** Reads ACK lines; after {@code minAcks} of them and a further random delay, kills the child. */
    private static List<Long> readAcksUntilKilled(final Process child, final int minAcks, final int delayMillis)
            throws Exception {
        List<Long> acks = new ArrayList<>();
        Thread killer = new Thread(() -> {
            try {
                synchronized (acks) {
                    while (acks.size() < minAcks && child.isAlive()) {
                        acks.wait(50);
                    }
                }
                Thread.sleep(delayMillis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.toHandle().destroyForcibly(); // SIGKILL on Linux; unlike Process.destroyForcibly it leaves our pipe open
        });
        killer.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    synchronized (acks) {
                        acks.add(Long.parseLong(line.substring(4)));
                        acks.notifyAll();
                    }
                }
            }
        }
        killer.join();
        child.waitFor(10, TimeUnit.SECONDS);
        synchronized (acks) {
            return new ArrayList<>(acks);
        }
    }
}
