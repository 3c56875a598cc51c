package io.jenkins.plugins.rollbackguard.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The ledger benchmark of issue #2: {@code lastGood} median at 1e3, 1e5 and 1e6 points and their
 * ratio, cold open at 1e5 points in a fresh JVM, and append latency with fsync. Ledgers are built with
 * the ordinary API (fsync off while building, so that the build takes seconds, not hours).
 */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Benchmark the ledger.")
public final class LedgerBenchmark implements Callable<Integer> {
    private static final String SHA = "0123456789abcdef".repeat(4);

    @Option(names = "--sizes", split = ",", defaultValue = "1000,100000,1000000",
            description = "Ledger sizes for lastGood (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--calls", defaultValue = "20000", description = "lastGood calls per size (default: ${DEFAULT-VALUE}).")
    private int calls;

    @Option(names = "--appends", defaultValue = "2000", description = "fsync'ed appends to time (default: ${DEFAULT-VALUE}).")
    private int appends;

    @Option(names = "--cold-size", defaultValue = "100000", description = "Points for the cold open (default: ${DEFAULT-VALUE}).")
    private int coldSize;

    @Option(names = "--dir", description = "Work directory (default: a temp directory, deleted afterwards).")
    private Path dir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("rg-ledger-bench");
        try {
            out.printf("Ledger benchmark in %s (%d cores, max heap %d MiB)%n", work,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            List<Long> medians = new ArrayList<>();
            for (int size : sizes) {
                medians.add(lastGood(work, size, out));
            }
            if (medians.size() >= 2) {
                out.printf(Locale.ROOT, "lastGood ratio %d/%d points: %.2f (goal <= 1.5)%n", sizes.get(sizes.size() - 1),
                        sizes.get(0), (double) medians.get(medians.size() - 1) / medians.get(0));
            }
            coldOpen(work, out);
            appendLatency(work, out);
        }
        finally {
            if (dir == null) {
                delete(work);
            }
        }
        return 0;
    }

    private long lastGood(final Path work, final int size, final PrintWriter out) {
        EnvironmentName env = EnvironmentName.of("size-" + size);
        long start = System.nanoTime();
        Ledger ledger = Ledger.open(work, Ledger.Options.defaults().withFsync(false));
        fill(ledger, env, size);
        out.printf(Locale.ROOT, "built %,d points in %.1f s%n", size, (System.nanoTime() - start) / 1e9);
        long[] samples = new long[calls];
        for (int i = 0; i < calls; i++) { // warm-up
            ledger.lastGood(env);
        }
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            ledger.lastGood(env).orElseThrow();
            samples[i] = System.nanoTime() - t;
        }
        Stats stats = new Stats(samples);
        out.printf("lastGood at %,d points: median %s, p99 %s%n", size, Stats.micros(stats.median()),
                Stats.micros(stats.percentile(99)));
        return stats.median();
    }

    /**
     * Records finished deploys as a long-lived ledger holds them: every tenth GOOD, the rest BAD (a
     * ledger full of unfinished points would be marked INTERRUPTED on open, which is not what we time).
     */
    static void fill(final Ledger ledger, final EnvironmentName env, final int size) {
        fill(ledger, env, 1, size);
    }

    private static void fill(final Ledger ledger, final EnvironmentName env, final int first, final int last) {
        for (int i = first; i <= last; i++) {
            RollbackPoint point = ledger.record(RollbackPoint.builder(env, PointSource.jenkins("shop/deploy", i))
                    .artifact(new ArtifactRef("shop.jar", SHA, 1 << 20, null)).gitCommit("c" + i)
                    .parameter("VERSION", "1.0." + i), "bench", "deploy");
            ledger.transition(env, point.id(), PointStatus.WATCHING, "bench", "watch");
            ledger.transition(env, point.id(), i % 10 == 1 ? PointStatus.GOOD : PointStatus.BAD, "bench", "verdict");
        }
    }

    private void coldOpen(final Path work, final PrintWriter out) throws Exception {
        EnvironmentName env = EnvironmentName.of("cold");
        Ledger.Options options = Ledger.Options.defaults().withFsync(false);
        Ledger built = Ledger.open(work, options);
        fill(built, env, coldSize);
        // The worst case: the journal one deploy short of its bound, so the open replays the most lines it ever does.
        int size = coldSize;
        while (journalLines(work.resolve(env.value())) + 3 <= options.journalBound(size + 1)) {
            fill(built, env, size + 1, size + 1);
            size++;
        }
        long compaction = compactionPause(built, env, size);
        // Side by side: the JVM as bin/rollback-guard starts it (the quick compiler alone), and a plain one.
        out.printf("cold open at %,d points in a fresh JVM as bin/rollback-guard starts it, journal one deploy short of "
                + "compaction: %s (goal < 1 s)%n", size, openInFreshJvm(work, env, List.of("-XX:TieredStopAtLevel=1")));
        out.printf("cold open at %,d points in a plain fresh JVM (both compilers): %s%n", size,
                openInFreshJvm(work, env, List.of()));
        out.printf(Locale.ROOT, "compaction at %,d points: %.0f ms, once per %,d records (the write that triggers it waits)%n",
                size, compaction / 1e6, options.journalBound(size));
    }

    private static String openInFreshJvm(final Path work, final EnvironmentName env, final List<String> options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jenkins.plugins.rollbackguard.cli.Main",
                "bench", "ledger-open", work.toString(), env.value()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return result;
    }

    /**
     * Times the write that compacts, on a copy of the ledger, so that the cold open still meets the worst case. With
     * fsync on, as a real ledger writes.
     */
    private static long compactionPause(final Ledger built, final EnvironmentName env, final int size) throws IOException {
        Path copy = Files.createTempDirectory(built.root().getParent(), "compaction");
        try {
            Path from = built.root().resolve(env.value());
            Path to = Files.createDirectories(copy.resolve(env.value()));
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(f -> !f.getFileName().toString().equals("audit.jsonl")).toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
            Ledger ledger = Ledger.open(copy);
            ledger.size(env); // load first, so that only the write is timed
            String before = journalName(to);
            long slowest = 0;
            int last = size + Ledger.Options.defaults().journalBound(size); // a bound, should the journal never roll over
            for (int i = size + 1; before.equals(journalName(to)) && i <= last; i++) {
                long t = System.nanoTime();
                ledger.record(RollbackPoint.builder(env, PointSource.jenkins("shop/deploy", i))
                        .artifact(new ArtifactRef("shop.jar", SHA, 1 << 20, null)).gitCommit("c" + i), "bench", "deploy");
                slowest = Math.max(slowest, System.nanoTime() - t);
            }
            return slowest;
        }
        finally {
            delete(copy);
        }
    }

    private static String journalName(final Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("journal-")).sorted()
                    .reduce((a, b) -> b).orElse("");
        }
    }

    private void appendLatency(final Path work, final PrintWriter out) {
        Ledger ledger = Ledger.open(work);
        EnvironmentName env = EnvironmentName.of("appends");
        long[] samples = new long[appends];
        for (int i = 0; i < appends; i++) {
            long t = System.nanoTime();
            ledger.record(RollbackPoint.builder(env, PointSource.cli("a" + i)).gitCommit("c" + i), "bench", "append");
            samples[i] = System.nanoTime() - t;
        }
        Stats stats = new Stats(samples);
        out.printf("append with fsync (%d points): p50 %s, p99 %s%n", appends, Stats.micros(stats.median()),
                Stats.micros(stats.percentile(99)));
    }

    private static void delete(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static long journalLines(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            long lines = 0;
            for (Path journal : files.filter(f -> f.getFileName().toString().startsWith("journal-")).toList()) {
                try (Stream<String> text = Files.lines(journal)) {
                    lines += text.count();
                }
            }
            return lines;
        }
        catch (IOException e) {
            return -1;
        }
    }

    /** Opens a ledger in this fresh JVM and times the first query (which loads the snapshot and journal). */
    @Command(name = "ledger-open", hidden = true)
    public static final class ColdOpen implements Callable<Integer> {
        @Parameters(index = "0")
        private Path root;

        @Parameters(index = "1")
        private String environment;

        @Override
        public Integer call() {
            // The opening thread's CPU time beside the wall time: on a machine shared with other builds the wall
            // time moves by a factor of 3 from one run to the next, the CPU time far less.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Ledger ledger = Ledger.open(root);
            int size = ledger.size(EnvironmentName.of(environment));
            long elapsed = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            System.out.printf(Locale.ROOT, "%.0f ms (%d points loaded, %d journal lines replayed; %.0f ms CPU on the opening thread)%n",
                    elapsed / 1e6, size, journalLines(root.resolve(environment)), cpu / 1e6);
            return 0;
        }
    }
}
