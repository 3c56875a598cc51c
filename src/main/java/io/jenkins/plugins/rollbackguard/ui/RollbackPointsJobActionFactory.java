package io.jenkins.plugins.rollbackguard.ui;

import java.util.Collection;
import java.util.List;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import jenkins.model.TransientActionFactory;

/** Shows {@link RollbackPointsJobAction} on every job. */
@Extension
@SuppressWarnings("rawtypes") // TransientActionFactory<Job> is how core registers job factories
public class RollbackPointsJobActionFactory extends TransientActionFactory<Job> {
    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Class<? extends Action> actionType() {
        return RollbackPointsJobAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull final Job target) {
        Job<?, ?> job = target;
        return List.of(new RollbackPointsJobAction(job));
    }
}
