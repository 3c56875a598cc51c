package io.jenkins.plugins.rollbackguard.freestyle;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.AbstractBuild;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployStepsResult;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;

/**
 * Ends the guarded deploy of a freestyle build whose "Watch the deploy and roll back" action never took it: a job
 * without the action, or with it for another environment. Without this the point would stay DEPLOYING and the
 * build's lease held until a restart of Jenkins (then the ledger marks the point INTERRUPTED, its watcher being gone,
 * and the lease's owner is a build no longer in progress: dead).
 *
 * <p>{@code Run.execute} calls {@code onCompleted} on the build's own executor thread after the post-build actions,
 * so that thread waits for the machine, whose work runs on the work pool, as while the build ran. The engine's {@link DeployStepsResult#unwatchedEnd} says
 * what the end is: aborted steps an abort, failed steps a failed deploy, finished steps a deploy nobody watched, in
 * doubt (the point INTERRUPTED, the environment frozen with a message naming the build).</p>
 */
@Extension
public class UnwatchedDeploys extends RunListener<Run<?, ?>> {
    @Override
    public void onCompleted(final Run<?, ?> run, @NonNull final TaskListener listener) {
        for (FreestyleGuardAction action : run.getActions(FreestyleGuardAction.class)) {
            FreestyleGuard guard = action.take();
            if (guard == null) {
                continue; // watched by the recorder, or loaded from disk
            }
            DeployStepsResult steps = RollbackGuardRecorder.stepsResult(run);
            FilePath workspace = run instanceof AbstractBuild<?, ?> build ? build.getWorkspace() : null;
            String detail = Messages.UnwatchedDeploys_NotWatched(String.valueOf(run.getResult()), guard.environment());
            String causes = FreestyleGuard.describe(FreestyleGuard.recordedCauses(run));
            try {
                GuardOutcome outcome = guard.end(steps.unwatchedEnd(RollbackGuardRecorder.stoppedBy(run, steps,
                        workspace), causes.isEmpty() ? detail : detail + " (" + causes + ")"));
                listener.getLogger().println("[rollback-guard] " + outcome.result() + ": " + outcome.explanation());
            }
            catch (RuntimeException e) {
                listener.error("[rollback-guard] " + Messages.UnwatchedDeploys_Failed(guard.environment(),
                        String.valueOf(action.getPointId()), String.valueOf(e.getMessage())));
            }
        }
    }
}
