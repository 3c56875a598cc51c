package io.jenkins.plugins.rollbackguard.steps;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;

import io.jenkins.plugins.rollbackguard.engine.guard.BodyDriver;
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;

/**
 * Stops the guards of a Pipeline build that ended while they still ran. A hard kill of a build
 * ({@code WorkflowRun.doKill}) completes it without calling any step's {@code stop}: its guard would go on watching
 * a build that is gone, and the build's lease, whose owner is no longer in progress, could be taken by another
 * deploy meanwhile. The build's result tells the cause: ABORTED (a person killed it) is an abort, anything else an
 * interruption that freezes the environment.
 *
 * <p>Only live drivers of this Jenkins session are kept, by the build's externalizable id; a step removes its own
 * when it ends, and a build's entry goes with its completion, so nothing outlives its build.</p>
 */
@Extension
public class LiveGuards extends RunListener<Run<?, ?>> {
    private static final Map<String, Set<BodyDriver>> LIVE = new ConcurrentHashMap<>();

    static void add(final Run<?, ?> run, final BodyDriver driver) {
        LIVE.computeIfAbsent(run.getExternalizableId(), id -> ConcurrentHashMap.newKeySet()).add(driver);
    }

    static void remove(final Run<?, ?> run, final BodyDriver driver) {
        LIVE.computeIfPresent(run.getExternalizableId(), (id, drivers) -> {
            drivers.remove(driver);
            return drivers.isEmpty() ? null : drivers;
        });
    }

    @Override
    public void onCompleted(final Run<?, ?> run, @NonNull final TaskListener listener) {
        Set<BodyDriver> left = LIVE.remove(run.getExternalizableId());
        if (left == null) {
            return;
        }
        boolean aborted = run.getResult() == Result.ABORTED;
        for (BodyDriver driver : left) { // quick: each driver hands the stop to the work pool
            driver.stop(aborted ? Interruption.USER : Interruption.OTHER,
                    "the build ended (" + run.getResult() + ") while its guard still ran");
        }
    }
}
