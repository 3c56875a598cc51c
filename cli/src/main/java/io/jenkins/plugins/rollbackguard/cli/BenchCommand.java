package io.jenkins.plugins.rollbackguard.cli;

import io.jenkins.plugins.rollbackguard.cli.bench.DetectionBenchmark;
import io.jenkins.plugins.rollbackguard.cli.bench.LedgerBenchmark;
import picocli.CommandLine.Command;

/** {@code rollback-guard bench}: the benchmark harnesses (figures printed, nothing asserted). */
@Command(name = "bench", mixinStandardHelpOptions = true, hidden = true,
        description = "Run a benchmark harness and print its figures (see docs/benchmarks.md).",
        subcommands = {LedgerBenchmark.class, LedgerBenchmark.ColdOpen.class, DetectionBenchmark.class})
final class BenchCommand {
}
