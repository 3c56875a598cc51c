package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads and processes write one environment at once: nothing is lost, no id is given twice. */
@Tag("slow")
class LedgerConcurrencyTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shared");
    private static final int THREADS = 8;
    private static final int PROCESSES = 2;
    private static final int POINTS = 1_000;

    @TempDir
    private Path root;

    @Test
    void shouldSerialiseWritersAcrossThreadsAndProcesses() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            processes.add(LedgerWriterProcess.start(root.toString(), ENV.value(), "process" + p, Integer.toString(POINTS)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String writer = "thread" + t;
            results.add(pool.submit(() -> write(Ledger.open(root), writer)));
        }
        Set<Long> threadIds = new HashSet<>();
        for (Future<List<Long>> result : results) {
            List<Long> ids = result.get(5, TimeUnit.MINUTES);
            assertThat(threadIds.addAll(ids)).isTrue();
            assertThat(ids).hasSize(POINTS).doesNotHaveDuplicates();
        }
        pool.shutdown();
        for (Process process : processes) {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(out.lines().filter(l -> l.startsWith("ACK "))).hasSize(POINTS);
        }

        Ledger ledger = Ledger.open(root);
        int total = (THREADS + PROCESSES) * POINTS;
        assertThat(ledger.size(ENV)).isEqualTo(total);
        List<RollbackPoint> all = new ArrayList<>();
        for (int page = 0; page * 1000 < total; page++) {
            all.addAll(ledger.history(ENV, page, 1000));
        }
        assertThat(all).extracting(RollbackPoint::id).doesNotHaveDuplicates().hasSize(total);
        Map<String, Long> perWriter = all.stream().collect(Collectors.groupingBy(
                p -> p.attributes().get("writer"), Collectors.counting()));
        assertThat(perWriter).hasSize(THREADS + PROCESSES).allSatisfy((writer, count) -> assertThat(count).isEqualTo(POINTS));
        assertThat(all).allSatisfy(p -> assertThat(threadIds.contains(p.id()) || p.attributes().get("writer").startsWith("process"))
                .isTrue());
    }

    private static List<Long> write(final Ledger ledger, final String writer) {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= POINTS; i++) {
            ids.add(ledger.record(RollbackPoint.builder(ENV, PointSource.cli(writer + "-" + i))
                    .attribute("writer", writer), writer, "concurrency test").id());
        }
        return ids;
    }
}
