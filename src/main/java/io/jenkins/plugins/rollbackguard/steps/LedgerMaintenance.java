package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.listeners.ItemListener;
import hudson.model.listeners.RunListener;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Keeps the ledger in step with the builds: a deleted build's points become UNAVAILABLE (their archived artifacts
 * are gone), and a renamed or moved job keeps its points through {@link JobAliases}.
 */
@Extension
public class LedgerMaintenance extends RunListener<Run<?, ?>> {
    private static final Logger LOGGER = Logger.getLogger(LedgerMaintenance.class.getName());
    private static final int SCAN = 1000;

    @Override
    public void onDeleted(final Run<?, ?> run) {
        try {
            markUnavailable(new LedgerFacade().getLedger(), new JobAliases(), run.getParent().getFullName(),
                    run.getNumber());
        }
        catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "cannot mark the points of deleted build " + run.getExternalizableId(), e);
        }
    }

    /**
     * Marks the points recorded by a build UNAVAILABLE.
     *
     * @param ledger
     *         the ledger
     * @param aliases
     *         the job renames
     * @param job
     *         the job's full name now
     * @param build
     *         the build number
     */
    static void markUnavailable(final Ledger ledger, final JobAliases aliases, final String job, final int build) {
        for (EnvironmentName environment : ledger.environments()) {
            for (RollbackPoint point : ledger.history(environment, 0, Math.min(SCAN, ledger.size(environment)))) {
                if (point.source().job() != null && point.source().build() == build
                        && aliases.sameJob(point.source().job(), job)
                        && point.status().canMoveTo(PointStatus.UNAVAILABLE)) {
                    ledger.transition(environment, point.id(), PointStatus.UNAVAILABLE, "jenkins",
                            "build %s #%d was deleted with its artifacts".formatted(job, build));
                }
            }
        }
    }

    /** Records renamed and moved jobs, so that their points stay theirs. */
    @Extension
    public static class Renames extends ItemListener {
        @Override
        public void onLocationChanged(final Item item, final String oldFullName, final String newFullName) {
            if (!(item instanceof Job<?, ?>)) {
                return; // a folder's jobs are reported one by one
            }
            try {
                new JobAliases().rename(oldFullName, newFullName);
            }
            catch (IOException e) {
                LOGGER.log(Level.WARNING, "cannot record the rename of " + oldFullName + " to " + newFullName, e);
            }
        }
    }
}
