package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;
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
 * The step {@code rollbackTo(target: 'lastGood', environment: 'prod')}: schedules a reverting build to an earlier
 * good build, as the build's authentication (Rollback permission and Job/Build), and returns the new build's number,
 * or its result with {@code wait: true}.
 */
public class RollbackToStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L; // first release

    private final String target;
    private final String environment;
    private String job = "";
    private boolean wait;

    /**
     * Creates the step.
     *
     * @param target
     *         {@code lastGood}, a build number, or a commit (prefix of at least 7 characters)
     * @param environment
     *         the environment to roll back
     * @throws IllegalArgumentException
     *         if the target or the environment is blank, or a commit prefix is too short
     */
    @DataBoundConstructor
    public RollbackToStep(final String target, final String environment) {
        super();
        this.target = target == null ? "" : target.strip();
        this.environment = environment == null ? "" : environment.strip();
        if (this.target.isEmpty() || this.environment.isEmpty()) {
            throw new IllegalArgumentException("rollbackTo: give target ('lastGood', a build number or a commit) "
                    + "and environment, got target='%s' environment='%s'".formatted(target, environment));
        }
        if (!isLastGood() && !isBuildNumber() && this.target.length() < 7) {
            throw new IllegalArgumentException("rollbackTo: target '%s' is not lastGood, a build number, or a commit "
                    + "prefix of at least 7 characters".formatted(this.target));
        }
    }

    public String getTarget() {
        return target;
    }

    public String getEnvironment() {
        return environment;
    }

    public String getJob() {
        return job;
    }

    /**
     * Names the job to roll back.
     *
     * @param job
     *         a full job name, or blank for the job running the step
     */
    @DataBoundSetter
    public void setJob(final String job) {
        this.job = job == null ? "" : job.strip();
    }

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(final boolean wait) {
        this.wait = wait;
    }

    boolean isLastGood() {
        return "lastGood".equalsIgnoreCase(target);
    }

    boolean isBuildNumber() {
        return target.matches("\\d{1,9}");
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new RollbackToStepExecution(context, this);
    }

    /** Registers {@code rollbackTo}. */
    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollbackTo";
        }

        @Override
        public String getDisplayName() {
            return Messages.RollbackToStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
