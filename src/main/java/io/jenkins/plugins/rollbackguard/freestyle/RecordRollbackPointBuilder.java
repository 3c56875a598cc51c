package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.tasks.SimpleBuildStep;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardMachine;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyCheckException;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.steps.GuardProbe;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The freestyle build step "Record rollback point": put it before the deploy steps. It reads the policy file from
 * the workspace (or takes the inline probes alone, see {@link #setProbes}) and starts the engine's guard machine on
 * the build's thread ({@link FreestyleGuard}): the machine
 * takes the environment's lease as this build (waiting for it or refusing, by the policy's {@code concurrent}), runs
 * preflight (a frozen environment stops the build), records the rollback point, samples the baselines and takes the
 * backups, then marks the point DEPLOYING. The live machine stays with the build for {@link RollbackGuardRecorder},
 * which reports the end of the deploy steps; the lease is held until the verdict.
 */
public class RecordRollbackPointBuilder extends Builder implements SimpleBuildStep, GuardFields {
    private final String environment;
    private String policyFile = DEFAULT_POLICY_FILE;
    private String onTrip = "";
    private String cooldown = "";
    /** The inline probes; null in a job saved before they existed (see {@link #readResolve}). */
    private List<GuardProbe> probes = new ArrayList<>();

    /**
     * Creates the step.
     *
     * @param environment
     *         the environment deployed to, e.g. {@code production}
     */
    @DataBoundConstructor
    public RecordRollbackPointBuilder(final String environment) {
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
     *         a path relative to the workspace; empty for none when the step has inline probes, else for
     *         {@value GuardFields#DEFAULT_POLICY_FILE}
     */
    @DataBoundSetter
    public void setPolicyFile(final String policyFile) {
        this.policyFile = policyFile == null ? "" : policyFile.trim();
    }

    /** @return the policy file read; none when the field is empty and the step has inline probes */
    @Override
    public String policyFileRead() {
        return policyFile.isEmpty() && !getProbes().isEmpty() ? "" : FreestyleForms.policyFile(policyFile);
    }

    /** @return the inline probes, the same describables as the Pipeline step's {@code probes: [...]}; maybe none */
    public List<GuardProbe> getProbes() {
        return probes == null ? List.of() : List.copyOf(probes);
    }

    /**
     * Sets the inline probes: when there are any, they are the probes of the guarded deploy and replace the policy
     * file's, as in the Pipeline step; a probe leaves an analysis setting unset for the Jenkins global default, else
     * the engine's.
     *
     * @param probes
     *         the probes (HTTP, Prometheus, command), or none to keep the policy file's
     */
    @DataBoundSetter
    public void setProbes(final List<GuardProbe> probes) {
        this.probes = probes == null ? new ArrayList<>() : new ArrayList<>(probes);
    }

    /**
     * Fills the fields that a job saved by an older release lacks: its config.xml has no probes.
     *
     * @return this step
     */
    protected Object readResolve() {
        if (probes == null) {
            probes = new ArrayList<>();
        }
        if (policyFile == null) {
            policyFile = DEFAULT_POLICY_FILE;
        }
        return this;
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
    public void perform(@NonNull final Run<?, ?> run, @NonNull final FilePath workspace, @NonNull final EnvVars env,
            @NonNull final Launcher launcher, @NonNull final TaskListener listener)
            throws InterruptedException, IOException {
        if (run.getActions(FreestyleGuardAction.class).stream().anyMatch(a -> a.getEnvironment().equals(environment))) {
            throw new AbortException(Messages.RecordRollbackPointBuilder_Twice(environment));
        }
        Policy policy = PolicyLoader.load(workspace, env, this, getProbes(), RollbackGuardConfiguration.get());
        FreestyleServices services = new FreestyleServices(run, workspace, env, launcher, listener);
        FreestyleGuard guard = new FreestyleGuard(run, workspace, services, policy, this);
        DeployRequest request = new DeployRequests(new JenkinsFacade(), services.services().ledger())
                .create(run, env);
        GuardMachine.Step step;
        try {
            step = guard.start(request); // the lease (waiting or refused by policy), preflight, point, backups
        }
        catch (GuardRefusedException | PolicyCheckException e) { // one sentence in the log, not a stack trace
            throw new AbortException(e.getMessage());
        }
        if (step instanceof GuardMachine.Deploy deploy) {
            // the machine, its loop and the lease stay with the build until the recorder reports the steps' end
            run.addAction(new FreestyleGuardAction(guard, deploy.point().id()));
            return;
        }
        GuardOutcome outcome = ((GuardMachine.Done) step).outcome();
        listener.getLogger().println("[rollback-guard] " + outcome.result() + ": " + outcome.explanation());
        if (guard.stopCause() != null && guard.stopCause().isDeliberate()) {
            throw new InterruptedException(outcome.explanation()); // Jenkins ends the build ABORTED, with its cause
        }
        throw new AbortException(outcome.explanation()); // a failed backup (onBackupFailure: stop), or a frozen one
    }

    /** The descriptor: the step's name and its form checks. */
    @Extension
    @Symbol("recordRollbackPoint")
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
        private final JenkinsFacade jenkins = new JenkinsFacade();

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RecordRollbackPointBuilder_DisplayName();
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
