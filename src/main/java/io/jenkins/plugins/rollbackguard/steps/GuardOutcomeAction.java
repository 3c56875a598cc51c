package io.jenkins.plugins.rollbackguard.steps;

import java.util.LinkedHashMap;
import java.util.Map;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.OutcomeVariables;

/**
 * The facts of each guarded block that ended in a build, as build variables for the steps after it, named per
 * environment by the engine's {@link OutcomeVariables} ({@code ROLLBACK_GUARD_SHOP_PROD_STATUS}, ...): two blocks of one
 * build (the shop and the ERP) keep their own. One action per build, saved with it; Jenkins asks it each time it
 * computes the build's environment, so it only copies a map it holds (no I/O).
 */
public class GuardOutcomeAction extends InvisibleAction implements EnvironmentContributingAction {
    private static final Object LOCK = new Object(); // parallel blocks of one build add their facts at once

    private final LinkedHashMap<String, String> variables = new LinkedHashMap<>(); // guarded by itself

    /**
     * Adds the variables of one block's outcome to its build, creating the build's action if needed. The build is
     * saved later with its other changes (the step's end saves it): adding an action does not write.
     *
     * @param run
     *         the build
     * @param outcome
     *         the variables of the block's outcome ({@link OutcomeVariables#of})
     */
    public static void record(final Run<?, ?> run, final Map<String, String> outcome) {
        GuardOutcomeAction action;
        synchronized (LOCK) {
            action = run.getAction(GuardOutcomeAction.class);
            if (action == null) {
                action = new GuardOutcomeAction();
                run.addAction(action);
            }
        }
        synchronized (action.variables) {
            action.variables.putAll(outcome);
        }
    }

    /** @return a copy of the variables, in the order they were set */
    public Map<String, String> getVariables() {
        synchronized (variables) {
            return new LinkedHashMap<>(variables);
        }
    }

    @Override
    public void buildEnvironment(@NonNull final Run<?, ?> run, @NonNull final EnvVars env) {
        env.putAll(getVariables());
    }
}
