package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.plugins.workflow.steps.StepExecution;

import hudson.Extension;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.model.queue.QueueListener;

/**
 * Wakes the waiting {@code rollbackTo} executions when their reverting build starts or finishes, or when its queue
 * item is cancelled: the executions hold no thread while they wait.
 */
@Extension
public class RollbackToListener extends RunListener<Run<?, ?>> {
    @Override
    public void onStarted(final Run<?, ?> run, final TaskListener listener) {
        if (run.getAction(RollbackTargetAction.class) != null) {
            StepExecution.acceptAll(RollbackToStepExecution.class, execution -> execution.onEvent(run, false));
        }
    }

    @Override
    public void onCompleted(final Run<?, ?> run, final TaskListener listener) {
        if (run.getAction(RollbackTargetAction.class) != null) {
            StepExecution.acceptAll(RollbackToStepExecution.class, execution -> execution.onEvent(run, true));
        }
    }

    /** Hears cancelled queue items. */
    @Extension
    public static class Cancellations extends QueueListener {
        @Override
        public void onLeft(final Queue.LeftItem item) {
            if (item.isCancelled()) {
                StepExecution.acceptAll(RollbackToStepExecution.class, execution -> execution.onCancelled(item.getId()));
            }
        }
    }
}
