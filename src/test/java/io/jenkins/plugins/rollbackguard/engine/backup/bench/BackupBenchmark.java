package io.jenkins.plugins.rollbackguard.engine.backup.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/**
 * Side-by-side timings, not a unit test (surefire runs only {@code *Test}): a files backup of a ~1 GiB tree
 * against {@code tar -czf}, and a PostgreSQL backup against bare {@code pg_dump -Fc} of a database of at least
 * 200 MB. Run with {@code java -cp <test classpath> ...BackupBenchmark [rounds]}; it cleans up after itself.
 */
public final class BackupBenchmark {
    private static final String[] WORDS = ("GET POST /api/v1/orders /health 200 404 500 INFO WARN ERROR user=alice "
            + "user=bob latency_ms= request_id= session started finished commit rollback deploy checkout payment")
            .split(" ");

    private BackupBenchmark() {
        // main only
    }

    /**
     * Runs both comparisons.
     *
     * @param args
     *         optionally the number of rounds (default 2)
     * @throws Exception
     *         if anything fails
     */
    public static void main(final String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path work = Files.createTempDirectory("rg-bench");
        try (SystemScheduler clock = new SystemScheduler(1)) {
            BackupContext ctx = new BackupContext(SecretSource.of(Map.of("PG", "bench-pw")), new LocalCommandRunner(),
                    clock, null, "bench");
            files(work, ctx, rounds);
            postgres(work, ctx, rounds);
        }
        finally {
            run(Duration.ofMinutes(5), "rm", "-rf", work.toString());
        }
    }

    private static void files(final Path work, final BackupContext ctx, final int rounds) throws IOException {
        Path tree = work.resolve("tree");
        long started = System.nanoTime();
        long bytes = createTree(tree);
        System.out.printf("tree: %,d bytes in 10,004 files, built in %.1f s%n", bytes, seconds(started));
        List<Double> ratios = new java.util.ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path tarFile = work.resolve("tar.tar.gz");
            BackupStore store = new BackupStore(work.resolve("store"));
            BackupManifest manifest = null;
            double take = 0;
            long cpu = 0;
            if (round % 2 == 0) { // alternate the order so that neither side always gets the warmer page cache
                long c1 = processCpu();
                long t1 = System.nanoTime();
                manifest = store.take("bench", FilesBackupSpec.of(tree), ctx);
                take = seconds(t1);
                cpu = processCpu() - c1;
            }
            long t0 = System.nanoTime();
            String times = run(Duration.ofMinutes(30), "bash", "-c", "tar -czf \"$0\" -C \"$1\" . && times",
                    tarFile.toString(), tree.toString());
            double tar = seconds(t0);
            long tarSize = Files.size(tarFile);
            Files.delete(tarFile);
            if (manifest == null) {
                long c1 = processCpu();
                long t1 = System.nanoTime();
                manifest = store.take("bench", FilesBackupSpec.of(tree), ctx);
                take = seconds(t1);
                cpu = processCpu() - c1;
            }
            double create = manifest.duration().toMillis() / 1000.0;
            long t2 = System.nanoTime();
            store.verify(manifest.id(), ctx);
            double verify = seconds(t2);
            System.out.printf("files round %d: tar -czf %.2f s (%,d bytes) | backup %.2f s incl. manifest (%,d bytes) "
                            + "ratio %.2f | take() with verification+fsync %.2f s | separate verify() %.2f s%n",
                    round, tar, tarSize, create, manifest.size(), create / tar, take, verify);
            System.out.printf("    CPU: tar+gzip (user sys) %s | take() incl. verification %.1f s; load average %s%n",
                    times.strip().lines().reduce((a, b) -> b).orElse("?"), cpu / 1e9, loadAverage());
            ratios.add(create / tar);
            run(Duration.ofMinutes(5), "rm", "-rf", work.resolve("store").toString());
        }
        System.out.printf("files: median ratio %.2f over %d rounds%n", median(ratios), rounds);
        run(Duration.ofMinutes(5), "rm", "-rf", tree.toString());
    }

    private static void postgres(final Path work, final BackupContext ctx, final int rounds) {
        try (PostgresServer server = PostgresServer.start()) {
            server.createUserAndDatabase("bench", "bench-pw", "big");
            long t = System.nanoTime();
            server.sql("big", "SET ROLE bench; CREATE TABLE events (id bigint PRIMARY KEY, body text, amount numeric, "
                    + "at timestamptz); INSERT INTO events SELECT i, md5(random()::text) || ' ' || md5(i::text) || "
                    + "' order ' || (i % 1000) || ' ' || repeat(substr(md5((i % 97)::text), 1, 12), 6), "
                    + "random() * 1000, now() - i * interval '1 s' FROM generate_series(1, 1300000) i");
            String size = server.sql("big", "SELECT pg_database_size('big')").strip();
            System.out.printf("postgres: database of %,d bytes built in %.1f s%n", Long.parseLong(size), seconds(t));
            PostgresBackupSpec spec = new PostgresBackupSpec(server.host(), server.port(), "big", "bench", "PG",
                    null, 3600, false);
            List<Double> ratios = new java.util.ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                BackupStore store = new BackupStore(work.resolve("pgstore"));
                List<Duration> processes = new java.util.ArrayList<>();
                BackupContext timing = new BackupContext(ctx.secrets(), request -> {
                    CommandResult result = ctx.runner().run(request);
                    processes.add(result.duration());
                    return result;
                }, ctx.scheduler(), null, "bench");
                BackupManifest manifest = null;
                double take = 0;
                if (round % 2 == 0) { // alternate the order, as for files
                    long t1 = System.nanoTime();
                    manifest = store.take("bench", spec, timing);
                    take = seconds(t1);
                }
                double dump = bareDump(server, work.resolve("bare.pgc"));
                if (manifest == null) {
                    long t1 = System.nanoTime();
                    manifest = store.take("bench", spec, timing);
                    take = seconds(t1);
                }
                double create = manifest.duration().toMillis() / 1000.0;
                double ownDump = processes.get(0).toMillis() / 1000.0;
                System.out.printf("postgres round %d: pg_dump -Fc %.2f s | backup %.2f s incl. sha256 (%,d bytes) "
                                + "ratio %.3f | take() with pg_restore --list + fsync %.2f s ratio %.3f | "
                                + "its own pg_dump process %.2f s, engine overhead %.2f s%n",
                        round, dump, create, manifest.size(), create / dump, take, take / dump, ownDump,
                        take - ownDump);
                ratios.add(take / dump);
                run(Duration.ofMinutes(5), "rm", "-rf", work.resolve("pgstore").toString());
            }
            System.out.printf("postgres: median ratio of take() %.3f over %d rounds%n", median(ratios), rounds);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double bareDump(final PostgresServer server, final Path bare) throws IOException {
        long t0 = System.nanoTime();
        run(Duration.ofMinutes(30), "env", "PGPASSWORD=bench-pw", "pg_dump", "-Fc", "-h", server.host(), "-p",
                String.valueOf(server.port()), "-U", "bench", "-d", "big", "-f", bare.toString());
        double dump = seconds(t0);
        Files.delete(bare);
        return dump;
    }

    /** Builds 10,000 small files (1-16 KiB) and four large ones: two log-like, one random, one mixed. */
    private static long createTree(final Path tree) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        long total = 0;
        for (int i = 0; i < 10_000; i++) {
            Path file = tree.resolve("src/module-%03d/file-%05d.txt".formatted(i / 100, i));
            total += write(file, 1024 + random.nextInt(15 * 1024), random, 0.1);
        }
        total += write(tree.resolve("logs/app.log"), 300L << 20, random, 0.0);
        total += write(tree.resolve("logs/access.log"), 300L << 20, random, 0.05);
        total += write(tree.resolve("data/blob.bin"), 200L << 20, random, 1.0);
        total += write(tree.resolve("data/mixed.db"), 150L << 20, random, 0.5);
        return total;
    }

    /** Writes text words with a share of random bytes, so that compression has realistic work to do. */
    private static long write(final Path file, final long size, final SplittableRandom random, final double noise)
            throws IOException {
        Files.createDirectories(file.getParent());
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            long left = size;
            while (left > 0) {
                int n = fill(chunk, random, noise);
                int m = (int) Math.min(n, left);
                out.write(chunk, 0, m);
                left -= m;
            }
        }
        return size;
    }

    private static int fill(final byte[] chunk, final SplittableRandom random, final double noise) {
        int i = 0;
        while (i < chunk.length - 64) {
            if (random.nextDouble() < noise) {
                for (int k = 0; k < 16; k++) {
                    chunk[i++] = (byte) random.nextInt(256);
                }
            }
            else {
                byte[] word = (WORDS[random.nextInt(WORDS.length)] + (random.nextInt(8) == 0 ? random.nextInt(100_000)
                        : "") + (random.nextInt(12) == 0 ? "\n" : " ")).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(word, 0, chunk, i, word.length);
                i += word.length;
            }
        }
        return i;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        return "%.2f".formatted(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String run(final Duration timeout, final String... command) {
        CommandResult result = new LocalCommandRunner().run(new CommandRequest(List.of(command), Map.of(), Map.of(),
                null, timeout, null, CommandRequest.DEFAULT_OUTPUT_LIMIT));
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + ": " + result.summary());
        }
        return result.stdout();
    }

    private static double median(final List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double seconds(final long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
