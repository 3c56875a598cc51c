package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** A small tmpfs mounted on a test directory (as root); tests that need one are skipped, saying why, where mount fails. */
final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(final Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of the given size on a new directory, or aborts the test with a message. */
    static TmpfsMount on(final Path dir, final String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs",
                dir.toString()).redirectErrorStream(true).start();
        mount.getInputStream().transferTo(OutputStream.nullOutputStream());
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs on " + dir + " here (needs root): mount-point test skipped");
        return new TmpfsMount(dir);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
