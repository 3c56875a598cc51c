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
 * The step {@code rollbackGuardDrill(environment: 'staging')}: a rehearsal of a rollback, the command line's
 * {@code drill} in Jenkins (the engine's {@code Drill} decides both). It deploys the previous good point by a reverting
 * build of the build that deployed it, watched by that build's own guard, then the current good point again the same
 * way, and returns the drill's time to restore as the ledger records it, apart from the incidents and the DORA
 * figures. Meant for a job of its own with a {@code cron} trigger; it needs no {@code node}.
 */
public class DrillStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L; // first release

    private final String environment;
    private boolean allowProduction;

    /**
     * Creates the step.
     *
     * @param environment
     *         the environment to drill, not production
     * @throws IllegalArgumentException
     *         if the environment is blank
     */
    @DataBoundConstructor
    public DrillStep(final String environment) {
        super();
        this.environment = environment == null ? "" : environment.strip();
        if (this.environment.isEmpty()) {
            throw new IllegalArgumentException("rollbackGuardDrill: give the environment to drill, e.g. "
                    + "environment: 'staging'");
        }
    }

    public String getEnvironment() {
        return environment;
    }

    public boolean isAllowProduction() {
        return allowProduction;
    }

    /**
     * Allows a drill in an environment whose name looks like production ({@code prod}, {@code live}).
     *
     * @param allowProduction
     *         whether to allow it
     */
    @DataBoundSetter
    public void setAllowProduction(final boolean allowProduction) {
        this.allowProduction = allowProduction;
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new DrillStepExecution(context, this);
    }

    /** Registers {@code rollbackGuardDrill}. */
    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollbackGuardDrill";
        }

        @Override
        public String getDisplayName() {
            return Messages.DrillStep_DisplayName();
        }

        /** No node: the drill holds no executor while its reverting builds run on theirs. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
