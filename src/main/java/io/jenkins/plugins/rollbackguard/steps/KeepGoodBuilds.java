package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.model.InvisibleAction;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.KeptBuilds;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.jenkins.SamplePool;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Protects the builds of the last {@code keepGood} good points of an environment from the build discarder
 * (keep-log), and releases the builds it protected earlier once newer good points supersede them. A build kept by
 * a person (without our {@link KeptByRollbackGuard} marker) is never released. The engine's {@link KeptBuilds} says
 * which builds can have changed, so a verdict loads a handful of builds, not the job's history. Used after the verdicts
 * of the Pipeline step and of the freestyle recorder (whose reverts need the target build too).
 */
public class KeepGoodBuilds {
    private static final Logger LOGGER = Logger.getLogger(KeepGoodBuilds.class.getName());
    /** The Jenkins session in which each environment was last reconciled. */
    private static final Map<String, Long> RECONCILED = new ConcurrentHashMap<>();

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
    public void protect(final Ledger ledger, final Policy policy) {
        int size = ledger.size(policy.environment());
        // the first verdict of an environment in a Jenkins session reconciles the whole window; later ones are
        // incremental
        boolean full = !Long.valueOf(SamplePool.session()).equals(RECONCILED.get(policy.environment().value()));
        KeptBuilds plan = KeptBuilds.plan(ledger.history(policy.environment(), 0,
                Math.min(size, full ? 1000 : KeptBuilds.window(policy.keepGood()))), policy.keepGood(), full);
        try {
            for (PointSource source : plan.keep()) {
                Optional<Run<?, ?>> run = build(source);
                if (run.isPresent() && !run.get().isKeepLog()) {
                    run.get().addOrReplaceAction(new KeptByRollbackGuard());
                    run.get().keepLog(true);
                }
            }
            for (PointSource source : plan.releaseCandidates()) {
                Optional<Run<?, ?>> run = build(source);
                if (run.isPresent() && run.get().getAction(KeptByRollbackGuard.class) != null) {
                    run.get().removeActions(KeptByRollbackGuard.class);
                    run.get().keepLog(false);
                }
            }
        }
        catch (IOException e) {
            LOGGER.log(Level.WARNING, "cannot update keep-log of the good builds of " + policy.environment(), e);
            return; // reconciled again at the next verdict
        }
        if (full) {
            RECONCILED.put(policy.environment().value(), SamplePool.session());
        }
    }

    private Optional<Run<?, ?>> build(final PointSource source) {
        return jenkins.getBuild(aliases.current(source.job()), source.build());
    }

    /** Marks a build whose keep-log flag Rollback Guard set, so that only those are released. */
    public static class KeptByRollbackGuard extends InvisibleAction {
    }
}
