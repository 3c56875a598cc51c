package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * The facts of a guarded deploy's end that a host hands to what follows it: in Jenkins the value the
 * {@code withRollbackGuard} step returns (Scripted) and the build's variables after the block, named per environment
 * ({@code ROLLBACK_GUARD_SHOP_PROD_STATUS}), so that two guarded blocks of one build (the shop and the ERP) keep their
 * own. One definition here, so that both forms say the same.
 */
public final class OutcomeVariables {
    /** What every variable's name starts with. */
    public static final String PREFIX = "ROLLBACK_GUARD_";

    private OutcomeVariables() {
    }

    /**
     * Returns the variable-name part of an environment: upper case, every character that may not appear in a shell
     * variable name ({@code '.'}, {@code '-'}) as {@code '_'}; {@code shop-prod} gives {@code SHOP_PROD}.
     *
     * @param environment
     *         the environment
     * @return the part
     */
    public static String key(final EnvironmentName environment) {
        return environment.value().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /**
     * Returns the build variables of an outcome: {@code ROLLBACK_GUARD_<ENV>_STATUS} (the outcome's result),
     * {@code _POINT} (the point's id), {@code _POINT_STATUS} (its status in the ledger), {@code _EXPLANATION} (the one
     * line the log ends with) and {@code _REVERT_POINT} (the id of the point that reverted it, or empty).
     *
     * @param environment
     *         the environment
     * @param outcome
     *         how the deploy ended
     * @return the variables, in that order
     */
    public static Map<String, String> of(final EnvironmentName environment, final GuardOutcome outcome) {
        String name = PREFIX + key(environment) + "_";
        Map<String, String> variables = new LinkedHashMap<>();
        facts(environment, outcome).forEach((fact, value) -> {
            if (!"environment".equals(fact)) {
                variables.put(name + snake(fact), value == null ? "" : value.toString());
            }
        });
        return Collections.unmodifiableMap(variables);
    }

    /**
     * Returns the facts of an outcome as a map: {@code environment}, {@code status}, {@code point},
     * {@code pointStatus}, {@code explanation}, {@code revertPoint} (values: text, or a number for the ids, or null).
     * In Jenkins this is what {@code withRollbackGuard} returns.
     *
     * @param environment
     *         the environment
     * @param outcome
     *         how the deploy ended
     * @return the facts, in that order
     */
    public static Map<String, Object> facts(final EnvironmentName environment, final GuardOutcome outcome) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("environment", environment.value());
        facts.put("status", outcome.result().name());
        facts.put("point", outcome.point() == null ? null : outcome.point().id());
        facts.put("pointStatus", outcome.point() == null ? null : outcome.point().status().name());
        facts.put("explanation", outcome.explanation());
        GuardOutcome revert = outcome.revert();
        facts.put("revertPoint", revert == null || revert.point() == null ? null : revert.point().id());
        return facts;
    }

    private static String snake(final String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
