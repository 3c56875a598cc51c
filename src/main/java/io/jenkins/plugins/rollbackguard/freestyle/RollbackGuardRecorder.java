package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Executor;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Publisher;
import hudson.tasks.Recorder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.tasks.SimpleBuildStep;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployStepsResult;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.RevertingBuilds;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The freestyle post-build action "Watch the deploy and roll back": it takes the point recorded by
 * {@link RecordRollbackPointBuilder}, judges the deploy (failed build steps count as a failed deploy), watches the
 * policy's probes and hands the verdict to the guard, which marks the point and, on a trip, schedules a reverting
 * build. The watch holds the build's executor until the verdict (unlike the pipeline step outside {@code node}).
 */
public class RollbackGuardRecorder extends Recorder implements SimpleBuildStep, GuardFields {
    private final String environment;
    private String policyFile = DEFAULT_POLICY_FILE;
    private String onTrip = "";
    private String cooldown = "";

    /**
     * Creates the action.
     *
     * @param environment
     *         the environment deployed to; the same as in the "Record rollback point" step
     */
    @DataBoundConstructor
    public RollbackGuardRecorder(final String environment) {
        super();
        this.environment = FreestyleForms.requireEnvironment(environment);
    }

    @Override
    public String getEnvironment() {
        return environment;
    }

    @Override
    public String getPolicyFile() {
        return policyFile;
    }

    /**
     * Sets the policy file.
     *
     * @param policyFile
     *         a path relative to the workspace; empty for {@value GuardFields#DEFAULT_POLICY_FILE}
     */
    @DataBoundSetter
    public void setPolicyFile(final String policyFile) {
        this.policyFile = FreestyleForms.policyFile(policyFile);
    }

    @Override
    public String getOnTrip() {
        return onTrip;
    }

    /**
     * Sets what a failed watch does.
     *
     * @param onTrip
     *         rollback, freeze or fail; empty for the policy's value
     */
    @DataBoundSetter
    public void setOnTrip(final String onTrip) {
        this.onTrip = FreestyleForms.onTrip(onTrip);
    }

    @Override
    public String getCooldown() {
        return cooldown;
    }

    /**
     * Sets the minimum time between two automatic rollbacks of the environment.
     *
     * @param cooldown
     *         a duration such as {@code 15m}; empty for the policy's value
     */
    @DataBoundSetter
    public void setCooldown(final String cooldown) {
        this.cooldown = FreestyleForms.cooldown(cooldown);
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull final Run<?, ?> run, @NonNull final FilePath workspace, @NonNull final EnvVars env,
            @NonNull final Launcher launcher, @NonNull final TaskListener listener)
            throws InterruptedException, IOException {
        Optional<FreestyleGuardAction> found = run.getActions(FreestyleGuardAction.class).stream()
                .filter(action -> action.getEnvironment().equals(environment)).findFirst();
        DeployStepsResult steps = stepsResult(run);
        if (found.isEmpty()) {
            if (steps != DeployStepsResult.FINISHED) {
                listener.getLogger().println("[rollback-guard] " + Messages.RollbackGuardRecorder_NothingToWatch());
                return; // the recording step refused or failed: there is no deploy to watch
            }
            throw new AbortException(Messages.RollbackGuardRecorder_NoPoint(environment));
        }
        FreestyleGuardAction recorded = found.get();
        Policy policy = PolicyLoader.load(workspace, env, this);
        FreestyleServices services = new FreestyleServices(run, workspace, env, launcher, listener);
        GuardSession session = services.session(policy);
        RollbackPoint point = services.services().ledger().point(EnvironmentName.of(environment),
                recorded.getPointId());
        Reverter reverter = plan -> scheduleRevert(run, plan);
        GuardOutcome outcome;
        switch (steps) {
            case ABORTED -> {
                String why = Messages.RollbackGuardRecorder_StepsAborted(run.getResult());
                services.services().ledger().transition(point.environment(), point.id(), PointStatus.ABORTED,
                        "jenkins", why);
                listener.getLogger().println("[rollback-guard] ABORTED: " + why);
                return;
            }
            case FAILED -> outcome = session.deployFailed(point,
                    Messages.RollbackGuardRecorder_StepsFailed(run.getResult()), reverter);
            default -> {
                point = session.watching(point);
                WatchResult result = watch(session, point, run, listener, services);
                outcome = session.trips().onWatch(point, result, reverter);
            }
        }
        listener.getLogger().println("[rollback-guard] " + outcome.result() + ": " + outcome.explanation());
        run.setResult(toBuildResult(outcome.result())); // Run.setResult only ever makes a result worse
    }

    /** What the build's steps so far say about the deploy; an unstable build deployed all the same. */
    private static DeployStepsResult stepsResult(final Run<?, ?> run) {
        Result result = run.getResult();
        return DeployStepsResult.ofBuildResult(result == null ? null : result.toString());
    }

    /**
     * Blocks the build's executor until the watch ends. An aborted build stops the watch, marks the point ABORTED
     * and ends ABORTED: publishers run after the build's main phase, where Jenkins turns any exception, an
     * interruption included, into FAILURE, so the abort result is set here and the failure is an AbortException.
     */
    private static WatchResult watch(final GuardSession session, final RollbackPoint point, final Run<?, ?> run,
            final TaskListener listener, final FreestyleServices services) throws IOException {
        Watch watch = session.newWatch(GuardSession.baselinesOf(point));
        CompletableFuture<WatchResult> result = watch.start();
        try {
            return result.get();
        }
        catch (InterruptedException e) {
            // the result first: abortResult clears the interrupt, so the ledger write below is not cut short
            Executor executor = Executor.currentExecutor();
            run.setResult(executor == null ? Result.ABORTED : executor.abortResult());
            if (executor != null) {
                executor.recordCauseOfInterruption(run, listener);
            }
            watch.stop(Messages.RollbackGuardRecorder_Aborted());
            services.services().ledger().transition(point.environment(), point.id(), PointStatus.ABORTED,
                    "jenkins", Messages.RollbackGuardRecorder_Aborted());
            throw new AbortException(Messages.RollbackGuardRecorder_Aborted());
        }
        catch (ExecutionException e) {
            throw new IOException(Messages.RollbackGuardRecorder_WatchFailed(e.getCause()), e.getCause());
        }
    }

    /** The baselines the recording step kept on the point ({@link GuardSession#BASELINE} attributes). */
    static Map<String, Baseline> baselines(final RollbackPoint point, final Policy policy) {
        return GuardSession.baselinesOf(point);
    }

    /** Carries out the guard's revert plan by scheduling a reverting build; its own watch reports the outcome. */
    private static GuardOutcome scheduleRevert(final Run<?, ?> bad, final RevertPlan.Revert plan) {
        RollbackPoint target = plan.target();
        Optional<Run<?, ?>> targetBuild = new JenkinsFacade().getBuild(target.source().job(), target.source().build());
        Optional<Queue.Item> item = targetBuild.flatMap(build -> RevertingBuilds.schedule(build, bad,
                target.environment().value(), target.id(), plan.reason(), "guard"));
        if (item.isEmpty()) {
            return new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                    Messages.RollbackGuardRecorder_NotScheduled(target.label()), null, List.of(), null);
        }
        return new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(),
                Messages.RollbackGuardRecorder_Scheduled(target.label()), null, List.of(), null);
    }

    static Result toBuildResult(final GuardOutcome.Result result) {
        return switch (result) {
            case GOOD -> Result.SUCCESS;
            case INCONCLUSIVE -> Result.UNSTABLE;
            default -> Result.FAILURE;
        };
    }

    /** The descriptor: the action's name and its form checks. */
    @Extension
    @Symbol("rollbackGuardWatch")
    public static class DescriptorImpl extends BuildStepDescriptor<Publisher> {
        private final JenkinsFacade jenkins = new JenkinsFacade();

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RollbackGuardRecorder_DisplayName();
        }

        @Override
        public boolean isApplicable(final Class<? extends AbstractProject> jobType) {
            return true;
        }

        /**
         * Checks the environment name.
         *
         * @param project
         *         the job being configured
         * @param value
         *         the name as entered
         * @return the result, or ok without permission to configure the job
         */
        @POST
        public FormValidation doCheckEnvironment(@AncestorInPath final Item project,
                @QueryParameter final String value) {
            if (project == null || !jenkins.hasPermission(Item.CONFIGURE, project)) {
                return FormValidation.ok();
            }
            return FreestyleForms.checkEnvironment(value);
        }

        /**
         * Checks the cooldown.
         *
         * @param project
         *         the job being configured
         * @param value
         *         the duration as entered
         * @return the result, or ok without permission to configure the job
         */
        @POST
        public FormValidation doCheckCooldown(@AncestorInPath final Item project, @QueryParameter final String value) {
            if (project == null || !jenkins.hasPermission(Item.CONFIGURE, project)) {
                return FormValidation.ok();
            }
            return FreestyleForms.checkCooldown(value);
        }

        /**
         * Lists the choices of what a failed watch does.
         *
         * @param project
         *         the job being configured
         * @return the choices, or none without permission to configure the job
         */
        @POST
        public ListBoxModel doFillOnTripItems(@AncestorInPath final Item project) {
            if (project == null || !jenkins.hasPermission(Item.CONFIGURE, project)) {
                return new ListBoxModel();
            }
            return FreestyleForms.onTripItems();
        }
    }
}
