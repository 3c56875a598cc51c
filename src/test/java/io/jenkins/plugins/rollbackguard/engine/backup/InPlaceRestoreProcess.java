package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM for {@link FilesBackupCrashTest}: restores a backup over its original directory (or only recovers
 * it) and waits to be killed. Each step of the restore (a record written, an entry moved) is followed by a pause, so
 * that the parent's kills, timed at random, land in every phase and between any two renames. It prints
 * {@code READY} once loaded, waits for a line on its input, prints {@code START}, then {@code STEP <name> <ms>}
 * after each step and {@code DONE <ms>} at the end, the times counted from {@code START}.
 */
final class InPlaceRestoreProcess {
    private InPlaceRestoreProcess() {
    }

    /**
     * Restores or recovers.
     *
     * @param args
     *         {@code restore} or {@code recover}, the store root, the backup id (or the destination, to recover), the
     *         pause after moving an excluded entry and the pause after any other step, in milliseconds
     */
    public static void main(final String[] args) throws Exception {
        BackupStore store = new BackupStore(Path.of(args[1]));
        long carryPause = Long.parseLong(args[3]);
        long stepPause = Long.parseLong(args[4]);
        BackupContext ctx = TestContexts.create(Map.of());
        // Load what the restore needs before the parent starts the clock.
        byte[] record = Json.MAPPER.writeValueAsBytes(new RestoreIntent(1, RestoreIntent.Layout.BESIDE, "/", "/", null,
                "", RestoreIntent.Phase.PREPARING, null, List.of(), List.of(), java.time.Instant.now(), 0));
        Json.MAPPER.readValue(record, RestoreIntent.class);
        BackupSpec spec = args[0].equals("restore") ? store.find(args[2]).orElseThrow().spec() : null;
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long start = System.nanoTime();
        InPlaceRestore.afterStep = step -> {
            System.out.println("STEP " + step.replace(' ', '-') + " " + (System.nanoTime() - start) / 1_000_000);
            System.out.flush();
            sleep(step.equals("carry") ? carryPause : stepPause);
        };
        System.out.println("START");
        System.out.flush();
        if (args[0].equals("restore")) {
            store.restore(args[2], RestoreTarget.original(spec), ctx); // the policy names the same source
        }
        else {
            store.recover(Path.of(args[2]), ctx);
        }
        System.out.println("DONE " + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        Thread.sleep(60_000); // the parent kills us or closes our input
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), InPlaceRestoreProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
