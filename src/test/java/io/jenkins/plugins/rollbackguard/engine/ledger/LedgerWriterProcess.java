package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.nio.file.Path;

/**
 * A child JVM for the crash and concurrency tests: records points into a ledger and prints
 * {@code ACK <id>} after each one is acknowledged (written and fsync'ed).
 */
final class LedgerWriterProcess {
    private LedgerWriterProcess() {
    }

    /**
     * Records points.
     *
     * @param args
     *         the ledger root, the environment, the writer's name, and how many points (0: until killed)
     */
    public static void main(final String[] args) {
        Ledger ledger = Ledger.open(Path.of(args[0]));
        EnvironmentName environment = EnvironmentName.of(args[1]);
        String writer = args[2];
        long count = Long.parseLong(args[3]);
        for (long i = 1; count == 0 || i <= count; i++) {
            RollbackPoint point = ledger.record(RollbackPoint.builder(environment, PointSource.cli(writer + "-" + i))
                    .attribute("writer", writer).attribute("n", Long.toString(i)), writer, "crash test");
            if (i % 3 == 0) {
                ledger.transition(environment, point.id(), PointStatus.DEPLOYING, writer, "deploying");
            }
            System.out.println("ACK " + point.id());
            System.out.flush();
        }
    }

    /**
     * Starts this class in a new JVM with the test class path.
     *
     * @param args
     *         its arguments
     * @return the process
     */
    static Process start(final String... args) throws java.io.IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LedgerWriterProcess.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
