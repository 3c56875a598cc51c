package io.jenkins.plugins.rollbackguard.engine.health.bench;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one JVM probing many local HTTP endpoints every second: threads used, CPU share of the
 * machine, and the lag between scheduled and actual sample time. The endpoints are served by a child
 * JVM, so that the figures are the prober's alone. Not a unit test; run it by hand:
 * {@code java -cp ... HealthBenchmark [endpoints=1000] [seconds=60] [poolThreads=4]}.
 */
public final class HealthBenchmark {
    private static final int MAX_IDLE = 4096;
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private HealthBenchmark() {
        // main only
    }

    /**
     * Runs the benchmark, or (with {@code --serve}) the endpoint server.
     *
     * @param args
     *         endpoints, seconds, pool threads; or {@code --serve}
     * @throws Exception
     *         if the server cannot start
     */
    public static void main(final String[] args) throws Exception {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            // JDK 17's HttpClient hands each async completion to CompletableFuture's default pool, which is a
            // new thread per task when the common pool has parallelism 1 (machines with 2 cores). See docs/health.md.
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        if (args.length > 0 && "--serve".equals(args[0])) {
            serve();
            return;
        }
        int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int poolThreads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Process server = startServer();
        try {
            String url = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            run(url, endpoints, seconds, poolThreads);
        }
        finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(final String url, final int endpoints, final int seconds, final int poolThreads)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(poolThreads);
        try (SystemScheduler scheduler = new SystemScheduler(2)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), pool, scheduler);
            Watch watch = new Watch(scheduler, pool, GuardListener.silent()).observe((probe, due, m) -> {
                lags.add(Duration.between(due, m.at()).toNanos());
                latencies.add((long) (m.value() * 1e6));
                if (m.outcome() != Outcome.SUCCESS) {
                    failures.incrementAndGet();
                }
            });
            for (int i = 0; i < endpoints; i++) {
                // Spread the first samples over one interval, as a real fleet of watches would be.
                AnalysisSettings settings = AnalysisSettings.builder().interval("1s").count(seconds)
                        .initialDelay((i * 1000L / endpoints) + "ms").failureLimit(Integer.MAX_VALUE).build();
                HttpProbeSpec spec = HttpProbeSpec.get("e" + i, url + "/e/" + i, null, settings);
                watch.add(factory.create(spec), Analysis.of(spec, Baseline.none("not needed")));
            }
            long cpuStart = os.getProcessCpuTime();
            long wallStart = System.nanoTime();
            CompletableFuture<WatchResult> running = watch.start();
            List<String> windows = cpuWindows(running, os, seconds, wallStart, cpuStart);
            WatchResult result = running.get(seconds + 60L, TimeUnit.SECONDS);
            long wall = System.nanoTime() - wallStart;
            long cpu = os.getProcessCpuTime() - cpuStart;
            report(endpoints, seconds, threadsBefore, threads, cpu, wall, lags, failures.get(), result);
            System.out.println("cpu by 10 s window (% of the machine): " + String.join(" ", windows));
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("latency ms: p50=%.1f p99=%.1f%n", percentile(sorted, 0.5), percentile(sorted, 0.99));
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * Samples the process CPU time every 10 s on the calling thread (no extra thread), so that the JIT's
     * warm-up in the first window can be told apart from the steady state.
     */
    private static List<String> cpuWindows(final CompletableFuture<WatchResult> running,
            final com.sun.management.OperatingSystemMXBean os, final int seconds, final long wallStart,
            final long cpuStart) throws InterruptedException {
        List<String> windows = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        long lastWall = wallStart;
        long lastCpu = cpuStart;
        for (int window = 1; window * 10 <= seconds && !running.isDone(); window++) {
            long sleep = wallStart + TimeUnit.SECONDS.toNanos(window * 10L) - System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            windows.add("%.1f".formatted(100.0 * (cpu - lastCpu) / (wall - lastWall) / cores));
            lastWall = wall;
            lastCpu = cpu;
        }
        return windows;
    }

    @SuppressWarnings("PMD.SystemPrintln") // a command-line harness reports on standard output
    private static void report(final int endpoints, final int seconds, final int threadsBefore,
            final ThreadMXBean threads, final long cpu, final long wall, final List<Long> lags, final long failures,
            final WatchResult result) {
        List<Long> sorted = new ArrayList<>(lags);
        Collections.sort(sorted);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("common pool parallelism=%d%n", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        System.out.printf("endpoints=%d seconds=%d samples=%d non-success=%d verdict=%s%n", endpoints, seconds,
                sorted.size(), failures, result.status());
        System.out.printf("threads: before=%d peak=%d added-at-peak=%d%n", threadsBefore,
                threads.getPeakThreadCount(), threads.getPeakThreadCount() - threadsBefore);
        System.out.printf("cpu: %.1f%% of %d cores (%.1f s cpu in %.1f s wall)%n",
                100.0 * cpu / wall / cores, cores, cpu / 1e9, wall / 1e9);
        System.out.println("threads now: " + threadGroups());
        System.out.printf("lag ms: p50=%.1f p99=%.1f max=%.1f%n", percentile(sorted, 0.50),
                percentile(sorted, 0.99), percentile(sorted, 1.0));
    }

    private static java.util.Map<String, Long> threadGroups() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[-#]?\\d+", ""), java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    private static double percentile(final List<Long> sorted, final double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static Process startServer() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The JDK server closes idle connections beyond 200 by default; the prober keeps up to one per endpoint.
        return new ProcessBuilder(java, "-Dsun.net.httpserver.maxIdleConnections=" + MAX_IDLE,
                "-cp", System.getProperty("java.class.path"),
                HealthBenchmark.class.getName(), "--serve")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Serves 200 "ok" on every path until standard input closes (the parent ended). */
    @SuppressWarnings("PMD.SystemPrintln") // tells the parent its URL
    private static void serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
        System.out.println("http://127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
