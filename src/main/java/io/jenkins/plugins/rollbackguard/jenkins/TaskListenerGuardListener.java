package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.model.TaskListener;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;

/**
 * The engine's {@link GuardListener} on a build's {@link TaskListener}: lines are prefixed
 * {@code [rollback-guard]}, errors {@code [rollback-guard] [-ERROR-]}, and mirrored to {@code java.util.logging}.
 */
public class TaskListenerGuardListener implements GuardListener {
    /** The prefix of every line. */
    public static final String PREFIX = "[rollback-guard] ";
    private static final Logger LOGGER = Logger.getLogger(TaskListenerGuardListener.class.getName());

    private final TaskListener listener;

    /**
     * Creates the listener.
     *
     * @param listener
     *         the build's listener, or {@link TaskListener#NULL}
     */
    public TaskListenerGuardListener(final TaskListener listener) {
        this.listener = listener;
    }

    @Override
    public void info(final String line) {
        listener.getLogger().println(PREFIX + line);
        LOGGER.log(Level.FINE, line);
    }

    @Override
    public void error(final String line) {
        listener.getLogger().println(PREFIX + "[-ERROR-] " + line);
        LOGGER.log(Level.FINE, line);
    }
}
