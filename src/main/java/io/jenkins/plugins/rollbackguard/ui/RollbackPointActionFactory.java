package io.jenkins.plugins.rollbackguard.ui;

import java.util.Collection;
import java.util.List;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Run;
import jenkins.model.TransientActionFactory;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerException;

/**
 * Shows {@link RollbackPointAction} on every build that recorded a rollback point, found in the ledger's in-memory
 * index by the job's full name and the build number: Jenkins asks on every request below a build, so this never
 * locks or reads a ledger file. No step adds the action to the build itself, so this factory is its only source.
 * It never asks the build for its actions: Actionable's lookup by type calls the transient action factories
 * of that type again, this one included, which would recurse until the stack overflows on every build page.
 */
@Extension
@SuppressWarnings("rawtypes") // TransientActionFactory<Run> is how core registers run factories
public class RollbackPointActionFactory extends TransientActionFactory<Run> {
    private final LedgerQueries queries;

    /** Creates the factory for the running Jenkins. */
    public RollbackPointActionFactory() {
        this(new LedgerQueries());
    }

    RollbackPointActionFactory(final LedgerQueries queries) {
        super();
        this.queries = queries;
    }

    @Override
    public Class<Run> type() {
        return Run.class;
    }

    @Override
    public Class<? extends Action> actionType() {
        return RollbackPointAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull final Run target) {
        Run<?, ?> run = target;
        try {
            return queries.pointRefOf(run.getParent().getFullName(), run.getNumber()) // in memory: no file is read
                    .map(point -> List.of(new RollbackPointAction(run, point.environment().value(), point.id())))
                    .orElse(List.of());
        }
        catch (LedgerException e) {
            return List.of(); // an unreadable ledger must not break the build page; the overview reports it
        }
    }
}
