package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.console.AnnotatedLargeText;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.spi.OutputTail;

/**
 * Keeps the end of a build's log as a point's deploy output: in Jenkins the deploy is the guarded block's own steps,
 * whose output is the build log, so the evidence bundle of a trip takes its {@code deploy-output.log} from here. The
 * log is read through {@link Run#getLogText()} (any log storage), from 64 KiB before its end, with Jenkins' console
 * notes stripped by {@link AnnotatedLargeText#writeLogTo(long, java.io.OutputStream)}. Reads and writes files: call it
 * on the plugin's work pool, never on the CPS VM thread.
 */
public final class BuildLogTail {
    private static final Logger LOGGER = Logger.getLogger(BuildLogTail.class.getName());

    private BuildLogTail() {
    }

    /**
     * Writes the tail of the build's log into a point's directory; a failure is logged and changes nothing else.
     *
     * @param run
     *         the build
     * @param pointFiles
     *         the point's directory ({@code ArtifactStore.pointFiles})
     */
    public static void keep(final Run<?, ?> run, final Path pointFiles) {
        try {
            AnnotatedLargeText<?> log = run.getLogText();
            // a little more than the tail: console notes take bytes in the raw log that the plain text drops
            long from = Math.max(0, log.length() - 2L * OutputTail.DEFAULT_BYTES);
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            long ignored = log.writeLogTo(from, plain);
            OutputTail tail = new OutputTail(OutputTail.DEFAULT_BYTES);
            String text = plain.toString(StandardCharsets.UTF_8);
            String[] lines = text.split("\r?\n", -1);
            for (int i = from > 0 ? 1 : 0; i < lines.length; i++) { // a read from mid-log starts in a line: drop it
                if (i < lines.length - 1 || !lines[i].isEmpty()) {
                    tail.add(lines[i]);
                }
            }
            tail.writeTo(pointFiles.resolve(FileArtifactStore.DEPLOY_OUTPUT));
        }
        catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "the build log's tail of %s could not be kept in %s".formatted(run, pointFiles), e);
        }
    }
}
