package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.plugins.workflow.steps.StepExecution;

import hudson.Extension;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.model.queue.QueueListener;

import io.jenkins.plugins.rollbackguard.engine.guard.Drill;

/**
 * Wakes the waiting {@code rollbackGuardDrill} executions when a drill leg's reverting build completes, or when a queue
 * item is cancelled: the executions hold no thread while they wait. The executions are told in memory and hand any
 * work to the work pool.
 */
@Extension
public class DrillListener extends RunListener<Run<?, ?>> {
    @Override
    public void onCompleted(final Run<?, ?> run, final TaskListener listener) {
        RollbackTargetAction target = run.getAction(RollbackTargetAction.class);
        if (target != null && Drill.ofKey(target.getKey()).isPresent()) {
            String key = target.getKey();
            StepExecution.acceptAll(DrillStepExecution.class, execution -> execution.onLegCompleted(key));
        }
    }

    /** Hears cancelled queue items. */
    @Extension
    public static class Cancellations extends QueueListener {
        @Override
        public void onLeft(final Queue.LeftItem item) {
            if (item.isCancelled()) {
                StepExecution.acceptAll(DrillStepExecution.class, execution -> execution.onCancelled(item.getId()));
            }
        }
    }
}
