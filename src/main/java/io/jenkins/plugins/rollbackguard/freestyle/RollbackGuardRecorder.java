package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.util.Optional;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
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
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The freestyle post-build action "Watch the deploy and roll back": it takes the live guard machine that
 * {@link RecordRollbackPointBuilder} started in this build and reports how the deploy steps ended, as the engine's
 * {@link DeployStepsResult} reads their result: finished steps (SUCCESS, UNSTABLE) are watched, failed ones are a
 * failed deploy (a trip), aborted ones an abort (the point ABORTED, nothing reverted). The machine watches, judges
 * and, on a trip, has a reverting build scheduled; this action waits for its verdict on the build's executor, unlike
 * the pipeline step outside {@code node}. Aborting the build during the watch stops the machine for that cause: the
 * point becomes ABORTED and the build ABORTED, nothing is reverted. The lease is released with the verdict.
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
        FreestyleGuard guard = found.get().take();
        if (guard == null) {
            throw new AbortException(Messages.RollbackGuardRecorder_NoMachine(environment,
                    String.valueOf(found.get().getPointId())));
        }
        warnAboutOwnFields(guard.fields(), listener);
        GuardOutcome outcome = guard.end(steps.deployEnd(stoppedBy(run, steps, workspace), stepsDetail(run, steps)));
        listener.getLogger().println("[rollback-guard] " + outcome.result() + ": " + outcome.explanation());
        if (outcome.point() != null) {
            guard.keepBuilds();
        }
        Interruption stop = guard.stopCause();
        if (stop != null) { // the build was stopped during the watch: an abort, not a failed deploy
            hudson.model.Executor executor = hudson.model.Executor.currentExecutor();
            // abortResult clears the interrupt, so that nothing after this step is cut short
            run.setResult(executor == null ? Result.ABORTED : executor.abortResult());
            if (executor != null) {
                executor.recordCauseOfInterruption(run, listener);
            }
            return;
        }
        run.setResult(toBuildResult(outcome.result())); // Run.setResult only ever makes a result worse
    }

    /** What the build's steps so far say about the deploy; an unstable build deployed all the same. */
    static DeployStepsResult stepsResult(final Run<?, ?> run) {
        Result result = run.getResult();
        return DeployStepsResult.ofBuildResult(result == null ? null : result.toString());
    }

    /** One line on how the steps ended: their result, and for an abort who or what stopped them. */
    @CheckForNull
    static String stepsDetail(final Run<?, ?> run, final DeployStepsResult steps) {
        if (steps == DeployStepsResult.FINISHED) {
            return null;
        }
        String ended = Messages.RollbackGuardRecorder_StepsEnded(String.valueOf(run.getResult()));
        String causes = FreestyleGuard.describe(FreestyleGuard.recordedCauses(run));
        return causes.isEmpty() ? ended : ended + " (" + causes + ")";
    }

    /**
     * What stopped the deploy steps besides their result: for an abort, the cause Jenkins recorded on the build (a
     * person, a timeout); for failed steps, an agent that went away while they ran (Jenkins marks those steps
     * FAILURE: "Agent went offline during the build"), which leaves the deploy's end unknown rather than bad.
     */
    @CheckForNull
    static Interruption stoppedBy(final Run<?, ?> run, final DeployStepsResult steps,
            @CheckForNull final FilePath workspace) {
        if (steps == DeployStepsResult.ABORTED) {
            return FreestyleGuard.classify(false, FreestyleGuard.recordedCauses(run));
        }
        if (steps != DeployStepsResult.FAILED || workspace == null || !workspace.isRemote()) {
            return null;
        }
        hudson.remoting.VirtualChannel channel = workspace.getChannel();
        if (!(channel instanceof hudson.remoting.Channel remote) || remote.isClosingOrClosed()) {
            return Interruption.AGENT_LOST;
        }
        return null;
    }

    /** The builder's fields decide the guarded deploy (its machine was started with them); say so when they differ. */
    private void warnAboutOwnFields(final GuardFields builder, final TaskListener listener) {
        String read = builder.policyFileRead();
        // without a file read (the inline probes alone), this action's default file is no different value
        boolean fileDiffers = !policyFile.equals(read.isEmpty() ? DEFAULT_POLICY_FILE : read);
        if (fileDiffers || !onTrip.equals(builder.getOnTrip())
                || !cooldown.equals(builder.getCooldown())) {
            listener.getLogger().println("[rollback-guard] " + Messages.RollbackGuardRecorder_FieldsDiffer(
                    read.isEmpty() ? Messages.RollbackGuardRecorder_NoPolicyFile() : read, builder.getOnTrip(),
                    builder.getCooldown()));
        }
    }

    static Result toBuildResult(final GuardOutcome.Result result) {
        return switch (result) {
            case GOOD -> Result.SUCCESS;
            case INCONCLUSIVE -> Result.UNSTABLE;
            case ABORTED -> Result.ABORTED; // the deploy steps were aborted: no verdict
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
