package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM restoring a files backup over its original directory with SIGKILL at random moments, then recovers
 * and checks that the directory is exactly the tree it had or exactly the restored tree, with the excluded paths
 * intact, and that nothing of the restore is left but the replaced tree (after a completed restore), which holds
 * exactly the tree it had without the excluded paths. The child pauses after each step (see
 * {@link InPlaceRestoreProcess}); a first run without a kill measures when each phase starts. Each round then picks
 * the phase with the fewest kills so far (every fifth round, the whole restore), waits until the child reports that
 * the phase started, and kills it at a random moment inside. Every fourth round the recovery is killed too, by a
 * second child, before the test recovers. Prints the kills by the phase the record names afterwards.
 */
@Tag("slow")
class FilesBackupCrashTest {
    private static final List<String> EXCLUDE = List.of("cache", "**.tmp");
    private static final String[] PHASES = {"preparing", "carrying", "swap_out", "swap_in"};
    private static final long CARRY_PAUSE = 2;
    private static final long STEP_PAUSE = 10;

    @TempDir
    private Path temp;

    @Test
    void shouldLeaveTheTreeItHadOrTheRestoredOneWhenKilledAtRandomMoments() throws Exception {
        Path destination = Files.createDirectories(temp.resolve("srv/shop")).resolve("uploads");
        new Rounds(destination, 20, false).run();
    }

    @Test
    void shouldDoTheSameInsideAMountPoint() throws Exception {
        try (TmpfsMount mount = TmpfsMount.on(temp.resolve("srv/data"), "16m")) {
            new Rounds(mount.dir(), 6, true).run();
        }
    }

    /** One destination, its backup, and the rounds of kills. */
    private final class Rounds {
        private final Path destination;
        private final int rounds;
        private final boolean inside;
        private final long seed = System.nanoTime();
        private final Random random = new Random(seed);
        private final Path store = temp.resolve("store");
        private final Map<String, String> original;
        private final Map<String, String> restored;
        private final Map<String, String> replacedTree;
        private final String backupId;
        private final List<String> excludedPaths;

        Rounds(final Path destination, final int rounds, final boolean inside) throws IOException {
            this.destination = destination;
            this.rounds = rounds;
            this.inside = inside;
            Files.createDirectories(destination);
            writeVersion(destination, 1, true);
            FilesBackupSpec spec = new FilesBackupSpec(destination.toString(), List.of(), EXCLUDE, 1);
            backupId = new BackupStore(store).take("crash", spec, TestContexts.create(Map.of())).id();
            restored = describe(destination);
            replacedTree = Trees.describe(writeVersion(temp.resolve("reference-v2"), 2, false));
            reset();
            original = describe(destination);
            excludedPaths = original.keySet().stream().filter(path -> path.equals("cache")
                    || path.endsWith(".tmp")).toList();
            assertThat(original).isNotEqualTo(restored).hasSizeGreaterThan(250);
            assertThat(original.keySet().stream().filter(path -> path.startsWith("cache") || path.endsWith(".tmp")))
                    .as("excluded paths").hasSizeGreaterThan(50);
        }

        void run() throws Exception {
            long started = System.nanoTime();
            Map<String, Long> starts = calibrate();
            Child next = new Child("restore", store.toString(), backupId);
            Map<String, Integer> landed = new TreeMap<>();
            int missing = 0;
            int recoveriesKilled = 0;
            int completed = 0;
            for (int round = 0; round < rounds; round++) {
                String context = "seed %d round %d".formatted(seed, round);
                // Every fifth round the whole restore, else the phase with the fewest kills so far; then a random
                // moment in it (in its first 80 %, as it may run faster than when it was measured).
                String phase = round % 5 == 4 ? null : leastKilled(landed);
                long length = phase == null ? starts.get("done") + 20 : (long) (0.8 * (starts.get(
                        phase.equals("swap_in") ? "done" : PHASES[List.of(PHASES).indexOf(phase) + 1])
                        - starts.get(phase)));
                long delay = (long) (random.nextDouble() * length);
                String lastStep;
                try (Child child = next) {
                    child.go();
                    next = new Child("restore", store.toString(), backupId); // loads while this round runs
                    if (phase != null) {
                        child.awaitStep("record-" + phase);
                    }
                    Thread.sleep(delay);
                    child.kill();
                    lastStep = child.last();
                }
                Child recovery = null;
                String recorded = observedPhase();
                if (round % 4 == 3 && !recorded.equals("none")) {
                    recovery = new Child("recover", store.toString(), destination.toString());
                }
                if (!inside && !Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                    missing++;
                    recorded += " (no destination)";
                }
                landed.merge(recorded, 1, Integer::sum);
                System.out.printf("round %d: %s + %d ms, last step %s, phase recorded %s%n", round,
                        phase == null ? "start" : phase, delay, lastStep, recorded);
                if (recovery != null) {
                    try (Child child = recovery) {
                        child.go();
                        Thread.sleep(random.nextInt(100));
                        child.kill();
                        recoveriesKilled++;
                    }
                }
                new BackupStore(store).recover(destination, TestContexts.create(Map.of()));
                if (check(context)) {
                    completed++;
                }
            }
            next.close();
            System.out.printf("%s: %d rounds (seed %d) in %d ms; phases start at %s ms; kills by the phase recorded "
                            + "%s; kills that left no destination %d; recoveries killed %d; restores completed by the "
                            + "restore or the recovery %d%n", inside ? "inside a mount point" : "beside the destination",
                    rounds, seed, (System.nanoTime() - started) / 1_000_000, starts, landed, missing, recoveriesKilled,
                    completed);
            for (String phase : PHASES) {
                assertThat(landed.keySet()).as("seed %d: kills landed in %s: %s", seed, phase, landed)
                        .anyMatch(key -> key.startsWith(phase));
            }
            assertThat(completed).as("seed %d: completed restores", seed).isPositive().isLessThan(rounds);
        }

        private static String leastKilled(final Map<String, Integer> landed) {
            String least = PHASES[0];
            int fewest = Integer.MAX_VALUE;
            for (String phase : PHASES) {
                int kills = landed.entrySet().stream().filter(entry -> entry.getKey().startsWith(phase))
                        .mapToInt(Map.Entry::getValue).sum();
                if (kills < fewest) {
                    least = phase;
                    fewest = kills;
                }
            }
            return least;
        }

        /** Runs one restore to the end and returns when each phase started, in ms from its start. */
        private Map<String, Long> calibrate() throws Exception {
            Map<String, Long> starts = new TreeMap<>();
            try (Child child = new Child("restore", store.toString(), backupId)) {
                child.go();
                String line;
                while (!(line = child.next()).startsWith("DONE")) {
                    String[] step = line.split(" ");
                    if (step[0].equals("STEP") && (step[1].startsWith("record-") || step[1].equals("extracted"))) {
                        starts.putIfAbsent(step[1].replace("record-", ""), Long.parseLong(step[2]));
                    }
                }
                starts.put("done", Long.parseLong(line.split(" ")[1]));
            }
            assertThat(check("calibration")).as("the restore ran to the end").isTrue();
            assertThat(starts).containsKeys(PHASES);
            return starts;
        }

        private String observedPhase() throws IOException {
            Path record = inside ? destination.resolve(InPlaceRestore.INSIDE_RECORD)
                    : destination.resolveSibling("." + destination.getFileName() + ".rg-restore.json");
            if (!Files.exists(record)) {
                return "none";
            }
            RestoreIntent intent = Json.MAPPER.readValue(record.toFile(), RestoreIntent.class);
            return intent.phase().name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Checks the destination and what is left beside it; returns whether the restore was completed, after putting
         * the tree it had back (the excluded paths into the replaced tree, and that in place of the destination).
         */
        private boolean check(final String context) throws IOException {
            Map<String, String> now = describe(destination);
            boolean isRestored = now.equals(restored);
            if (!isRestored) {
                assertThat(now).as("%s: the destination is the tree it had, or the restored tree", context)
                        .isEqualTo(original);
            }
            List<Path> leftovers = leftovers();
            if (!isRestored) {
                assertThat(leftovers).as("%s: nothing of the restore is left", context).isEmpty();
                return false;
            }
            assertThat(leftovers).as("%s: only the replaced tree is left", context).hasSize(1);
            Path replaced = leftovers.get(0);
            assertThat(replaced.getFileName().toString()).contains(".rg-replaced-");
            assertThat(Trees.describe(replaced)).as("%s: the replaced tree is the tree it had, without the excluded "
                    + "paths", context).isEqualTo(replacedTree);
            for (String path : excludedPaths) {
                Files.move(destination.resolve(path), replaced.resolve(path));
            }
            if (inside) {
                try (Stream<Path> entries = Files.list(destination)) {
                    for (Path entry : entries.filter(entry -> !entry.equals(replaced)).toList()) {
                        DirectorySwap.deleteTree(entry);
                    }
                }
                try (Stream<Path> entries = Files.list(replaced)) {
                    for (Path entry : entries.toList()) {
                        Files.move(entry, destination.resolve(entry.getFileName()));
                    }
                }
                Files.delete(replaced);
            }
            else {
                DirectorySwap.deleteTree(destination);
                Files.move(replaced, destination);
            }
            return true;
        }

        private List<Path> leftovers() throws IOException {
            Path dir = inside ? destination : destination.getParent();
            String prefix = inside ? ".rg-" : "." + destination.getFileName() + ".rg-";
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.filter(entry -> entry.getFileName().toString().startsWith(prefix)).toList();
            }
        }

        /** The destination's tree, without the restore's own entries at the top of a mount point. */
        private Map<String, String> describe(final Path root) {
            Map<String, String> all = Trees.describe(root);
            all.keySet().removeIf(path -> inside && PathSelection.isReserved(Path.of(path).getName(0)));
            return all;
        }

        /** Makes the destination the tree it has before the restore: version 2, with the excluded paths. */
        private void reset() throws IOException {
            try (Stream<Path> entries = Files.list(destination)) {
                for (Path entry : entries.toList()) {
                    DirectorySwap.deleteTree(entry);
                }
            }
            writeVersion(destination, 2, true);
        }
    }

    /**
     * Writes a version of the test tree: 200 files of up to 4 KiB in 36 directories, a link and an empty
     * directory; version 2 changes a tenth of the files, deletes some, adds 20 others and moves the link. With
     * {@code excluded}, also the paths the backup leaves out: {@code cache/} (30 files in 4 directories) and 31
     * {@code .tmp} files in 13 directories, identical in both versions.
     */
    static Path writeVersion(final Path root, final int version, final boolean excluded) throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            Path file = i % 20 == 0 ? root.resolve("f" + i + ".dat")
                    : root.resolve("d" + i % 12).resolve("s" + i % 3).resolve("f" + i + ".dat");
            int size = random.nextInt(4000);
            long contentSeed = random.nextLong();
            if (version == 2 && i % 17 == 0) {
                continue; // deleted in version 2
            }
            Trees.write(file, new Random(version == 2 && i % 10 == 0 ? contentSeed + 1 : contentSeed), size);
        }
        if (version == 2) {
            for (int i = 0; i < 20; i++) {
                Trees.write(root.resolve("added/a" + i + ".dat"), new Random(i), 1000 + i);
            }
        }
        else {
            Files.createDirectories(root.resolve("empty/nested"));
        }
        Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(root.resolve("links/current"), Path.of(version == 1 ? "../d1" : "../d2"));
        if (excluded) {
            for (int i = 0; i < 30; i++) {
                Trees.write(root.resolve("cache/c" + i % 4 + "/e" + i + ".bin"), new Random(1000 + i), 500);
            }
            for (int i = 0; i < 30; i++) {
                Trees.write(root.resolve("d" + i % 12).resolve("s" + i % 3).resolve("t" + i + ".tmp"),
                        new Random(2000 + i), 300);
            }
            Trees.write(root.resolve("top.tmp"), new Random(3000), 100);
        }
        return root;
    }

    /** A child JVM and its output lines. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private volatile String lastStep = "none";

        Child(final String... args) throws IOException {
            List<String> all = new ArrayList<>(List.of(args));
            all.add(Long.toString(CARRY_PAUSE));
            all.add(Long.toString(STEP_PAUSE));
            process = InPlaceRestoreProcess.start(all.toArray(String[]::new));
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("STEP ")) {
                            lastStep = line.substring(5);
                        }
                        lines.add(line);
                    }
                }
                catch (IOException e) {
                    // killed
                }
                lines.add("EOF");
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until the child is loaded, lets it start and returns once it has. */
        void go() throws IOException, InterruptedException {
            assertThat(next()).isEqualTo("READY");
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
            assertThat(next()).isEqualTo("START");
        }

        /** Reads up to the step's line, or the end of the restore. */
        void awaitStep(final String step) throws InterruptedException {
            String line;
            do {
                line = next();
            }
            while (!line.startsWith("STEP " + step + " ") && !line.startsWith("DONE"));
        }

        String next() throws InterruptedException {
            String line = lines.poll(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("the child's next line").isNotNull().isNotEqualTo("EOF");
            return line;
        }

        String last() {
            return lastStep;
        }

        /** SIGKILL. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
