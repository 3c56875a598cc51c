package io.jenkins.plugins.rollbackguard.config;

import java.util.Optional;

import hudson.util.FormValidation;

import io.jenkins.plugins.rollbackguard.engine.guard.PolicyDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * Sends each field of the global configuration to the check that owns it: the engine's for the defaults of deploys
 * ({@link AnalysisDefaults#check}, {@link PolicyDefaults}; {@code watch} is the analysis' {@code duration}), the
 * glue's {@link Settings} for what only Jenkins has (the backup directory, the Test probe button's hosts). It decides
 * nothing itself.
 */
final class GlobalChecks {
    private GlobalChecks() {
        // static helpers only
    }

    /**
     * Checks a value as entered.
     *
     * @param field
     *         the configuration's field
     * @param value
     *         the value as entered
     * @return the problem in one sentence naming the field and the value, or empty
     */
    static Optional<String> check(final String field, final String value) {
        switch (field) {
            case "watch":
                return AnalysisDefaults.check("duration", "watch", value);
            case "cooldown":
                return PolicyDefaults.checkCooldown(value);
            case "keepGood":
                return PolicyDefaults.checkKeepGood(value);
            case "backupRoot":
                return Settings.checkAbsolutePathOrEmpty(field, value);
            case "probeHostAllowlist":
                return Settings.checkHostPatterns(field, value);
            default:
                return AnalysisDefaults.check(field, field, value);
        }
    }

    /**
     * Checks a value for a form.
     *
     * @param field
     *         the configuration's field
     * @param value
     *         the value as entered
     * @return an error naming the field and the value, or ok
     */
    static FormValidation validate(final String field, final String value) {
        return toValidation(check(field, value));
    }

    /**
     * Turns a check's result into a form's answer.
     *
     * @param error
     *         the problem, or empty
     * @return an error with the problem, or ok
     */
    static FormValidation toValidation(final Optional<String> error) {
        return error.map(FormValidation::error).orElse(FormValidation.ok());
    }

    /**
     * Checks a value for a setter.
     *
     * @param field
     *         the configuration's field
     * @param value
     *         the value given
     * @return the value, trimmed (empty for null)
     * @throws InvalidSettingException
     *         naming the field and the value
     */
    static String require(final String field, final Object value) {
        String text = value == null ? "" : value.toString();
        Settings.require(field, check(field, text));
        return text.trim();
    }
}
