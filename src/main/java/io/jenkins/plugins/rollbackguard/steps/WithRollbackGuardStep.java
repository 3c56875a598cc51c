package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;

/**
 * The block step {@code withRollbackGuard(environment: 'prod', probes: [...]) { deploy }}: records the build as a
 * rollback point, takes the backups, runs the body, watches health and, on a trip, schedules a reverting build.
 * Every parameter is optional here; the policy (inline or {@link #setPolicy file}) must name the environment.
 */
public class WithRollbackGuardStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L; // first release

    private String environment = "";
    private String policy = "";
    private List<GuardProbe> probes = new ArrayList<>();
    private List<GuardBackup> backups = new ArrayList<>();
    private String onTrip = "";
    private String cooldown = "";
    private String dataVersion = "";
    private boolean adopt;
    private boolean allowChangeRequests;
    private boolean probesFromController;
    private String artifacts = "";

    /** Creates the step; every setting is optional. */
    @DataBoundConstructor
    public WithRollbackGuardStep() {
        super();
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(final String environment) {
        this.environment = trim(environment);
    }

    public String getPolicy() {
        return policy;
    }

    /**
     * Names a policy file (YAML or JSON) in the workspace; inline settings override its values.
     *
     * @param policy
     *         a path relative to the workspace, or blank for none
     */
    @DataBoundSetter
    public void setPolicy(final String policy) {
        this.policy = trim(policy);
    }

    public List<GuardProbe> getProbes() {
        return List.copyOf(probes);
    }

    @DataBoundSetter
    public void setProbes(final List<GuardProbe> probes) {
        this.probes = probes == null ? new ArrayList<>() : new ArrayList<>(probes);
    }

    public List<GuardBackup> getBackups() {
        return List.copyOf(backups);
    }

    @DataBoundSetter
    public void setBackups(final List<GuardBackup> backups) {
        this.backups = backups == null ? new ArrayList<>() : new ArrayList<>(backups);
    }

    public String getOnTrip() {
        return onTrip;
    }

    /**
     * Sets what a trip does.
     *
     * @param onTrip
     *         {@code rollback}, {@code freeze}, {@code fail}, or blank for the policy's (default rollback)
     * @throws IllegalArgumentException
     *         for any other value
     */
    @DataBoundSetter
    public void setOnTrip(final String onTrip) {
        String value = trim(onTrip).toLowerCase(Locale.ROOT);
        if (!value.isEmpty() && !Set.of("rollback", "freeze", "fail").contains(value)) {
            throw new IllegalArgumentException("onTrip: '%s' is not one of rollback, freeze, fail".formatted(onTrip));
        }
        this.onTrip = value;
    }

    public String getCooldown() {
        return cooldown;
    }

    @DataBoundSetter
    public void setCooldown(final String cooldown) {
        this.cooldown = trim(cooldown);
    }

    public String getDataVersion() {
        return dataVersion;
    }

    @DataBoundSetter
    public void setDataVersion(final String dataVersion) {
        this.dataVersion = trim(dataVersion);
    }

    public boolean isAdopt() {
        return adopt;
    }

    @DataBoundSetter
    public void setAdopt(final boolean adopt) {
        this.adopt = adopt;
    }

    public boolean isAllowChangeRequests() {
        return allowChangeRequests;
    }

    @DataBoundSetter
    public void setAllowChangeRequests(final boolean allowChangeRequests) {
        this.allowChangeRequests = allowChangeRequests;
    }

    public boolean isProbesFromController() {
        return probesFromController;
    }

    @DataBoundSetter
    public void setProbesFromController(final boolean probesFromController) {
        this.probesFromController = probesFromController;
    }

    public String getArtifacts() {
        return artifacts;
    }

    /**
     * Selects which archived artifacts the point records.
     *
     * @param artifacts
     *         an Ant pattern over the build's archived artifacts, or blank for all
     */
    @DataBoundSetter
    public void setArtifacts(final String artifacts) {
        this.artifacts = trim(artifacts);
    }

    private static String trim(final String value) {
        return value == null ? "" : value.strip();
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new WithRollbackGuardStepExecution(context, this);
    }

    /** Registers {@code withRollbackGuard}. */
    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "withRollbackGuard";
        }

        @Override
        public String getDisplayName() {
            return Messages.WithRollbackGuardStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
