package io.jenkins.plugins.rollbackguard.ui;

import java.time.Instant;

import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Writes rollback points for builds of a test Jenkins into its ledger, as a guarded deploy would.
 */
final class LedgerFixture {
    static final String BACKUP_ID = "backup-0001";

    private LedgerFixture() {
    }

    static Ledger ledger() {
        return new LedgerFacade().getLedger();
    }

    /** Records a point for a build and moves it to GOOD or BAD with a verdict; GOOD points get a verified backup. */
    static RollbackPoint record(final Run<?, ?> run, final String environment, final PointStatus verdict,
            final String explanation) {
        return record(run, environment, verdict, explanation, "v" + run.getNumber());
    }

    /** Records a point as {@link #record(Run, String, PointStatus, String)} does, with a given data version. */
    static RollbackPoint record(final Run<?, ?> run, final String environment, final PointStatus verdict,
            final String explanation, final String dataVersion) {
        EnvironmentName env = EnvironmentName.of(environment);
        RollbackPoint.Builder draft = RollbackPoint.builder(env,
                        PointSource.jenkins(run.getParent().getFullName(), run.getNumber()))
                .dataVersion(dataVersion)
                .attribute("measurement.error-rate", "0.5%");
        if (verdict == PointStatus.GOOD) {
            draft.backup(new BackupRef(BACKUP_ID + "-" + run.getNumber(), "postgres", "ab".repeat(32), 4096,
                    Instant.now().minusSeconds(600), Instant.now().minusSeconds(590)));
        }
        RollbackPoint point = ledger().record(draft, "test", "guarded deploy");
        ledger().transition(env, point.id(), PointStatus.DEPLOYING, "test", "deploy started");
        ledger().transition(env, point.id(), PointStatus.WATCHING, "test", "watching");
        return ledger().transition(env, point.id(), verdict, "guard", explanation, explanation);
    }

    /** Records the revert of a point for a build, judged GOOD, and marks the reverted point REVERTED, as a revert does. */
    static RollbackPoint revert(final Run<?, ?> run, final String environment, final long revertOf) {
        EnvironmentName env = EnvironmentName.of(environment);
        RollbackPoint point = ledger().record(RollbackPoint.builder(env,
                PointSource.jenkins(run.getParent().getFullName(), run.getNumber())).revertOf(revertOf), "guard", "revert");
        ledger().transition(env, point.id(), PointStatus.DEPLOYING, "guard", "deploy started");
        ledger().transition(env, point.id(), PointStatus.WATCHING, "guard", "watching");
        RollbackPoint good = ledger().transition(env, point.id(), PointStatus.GOOD, "guard", "watch passed", "watch passed");
        ledger().transition(env, revertOf, PointStatus.REVERTED, "guard", "reverted by " + good.label());
        return good;
    }

    /** Opens the circuit of an environment, as a trip does. */
    static void freeze(final String environment, final String reason) {
        ledger().openCircuit(EnvironmentName.of(environment), reason, "guard", 0);
    }
}
