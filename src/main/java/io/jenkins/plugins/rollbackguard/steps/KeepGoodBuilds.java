package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.model.InvisibleAction;
import hudson.model.Job;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Protects the builds of the last {@code keepGood} good points of an environment from the build discarder
 * (keep-log), and releases the builds it protected earlier once newer good points supersede them. A build kept by
 * a person (without our {@link KeptByRollbackGuard} marker) is never released.
 */
class KeepGoodBuilds {
    private static final Logger LOGGER = Logger.getLogger(KeepGoodBuilds.class.getName());

    /** Builds per job looked at when releasing; older protected builds stay kept. */
    private static final int SCAN = 500;

    private final JenkinsFacade jenkins = new JenkinsFacade();
    private final JobAliases aliases = new JobAliases();

    /**
     * Updates the keep-log flags after a verdict. Runs as SYSTEM (keepLog checks Run.UPDATE).
     *
     * @param ledger
     *         the ledger
     * @param policy
     *         the policy, which says how many good points to keep
     */
    void protect(final Ledger ledger, final Policy policy) {
        Set<Run<?, ?>> keep = new HashSet<>();
        Set<Job<?, ?>> jobs = new HashSet<>();
        for (RollbackPoint point : ledger.history(policy.environment(), 0, Math.min(500, ledger.size(policy.environment())))) {
            if (point.status().isRestorable() && keep.size() < policy.keepGood() && point.source().job() != null) {
                jenkins.getBuild(aliases.current(point.source().job()), point.source().build()).ifPresent(run -> {
                    keep.add(run);
                    jobs.add(run.getParent());
                });
            }
        }
        try {
            for (Run<?, ?> run : keep) {
                if (!run.isKeepLog()) {
                    run.addOrReplaceAction(new KeptByRollbackGuard());
                    run.keepLog(true);
                }
            }
            for (Job<?, ?> job : jobs) {
                for (Run<?, ?> run : job.getBuilds().limit(SCAN)) {
                    if (!keep.contains(run) && run.getAction(KeptByRollbackGuard.class) != null) {
                        run.removeActions(KeptByRollbackGuard.class);
                        run.keepLog(false);
                    }
                }
            }
        }
        catch (IOException e) {
            LOGGER.log(Level.WARNING, "cannot update keep-log of the good builds of " + policy.environment(), e);
        }
    }

    /** Marks a build whose keep-log flag Rollback Guard set, so that only those are released. */
    public static class KeptByRollbackGuard extends InvisibleAction {
    }
}
