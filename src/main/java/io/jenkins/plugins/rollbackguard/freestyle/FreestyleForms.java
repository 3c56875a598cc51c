package io.jenkins.plugins.rollbackguard.freestyle;

import java.util.Locale;
import java.util.Set;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * Normalises and checks the form values shared by the freestyle build step and post-build action. The rules are
 * the engine's ({@link EnvironmentName}, {@link Durations}); messages come from {@code Messages}.
 */
final class FreestyleForms {
    private static final Set<String> ON_TRIP = Set.of("rollback", "freeze", "fail");

    private FreestyleForms() {
    }

    static String requireEnvironment(final String environment) {
        String trimmed = environment == null ? "" : environment.trim();
        if (!EnvironmentName.isValid(trimmed)) {
            throw new IllegalArgumentException(Messages.FreestyleForms_Environment_Invalid(trimmed));
        }
        return trimmed;
    }

    static String policyFile(final String policyFile) {
        String trimmed = policyFile == null ? "" : policyFile.trim();
        return trimmed.isEmpty() ? GuardFields.DEFAULT_POLICY_FILE : trimmed;
    }

    static String onTrip(final String onTrip) {
        String trimmed = onTrip == null ? "" : onTrip.trim().toLowerCase(Locale.ROOT);
        if (!trimmed.isEmpty() && !ON_TRIP.contains(trimmed)) {
            throw new IllegalArgumentException(Messages.FreestyleForms_OnTrip_Invalid(trimmed));
        }
        return trimmed;
    }

    static String cooldown(final String cooldown) {
        String trimmed = cooldown == null ? "" : cooldown.trim();
        if (!trimmed.isEmpty()) {
            Durations.parse("cooldown", trimmed);
        }
        return trimmed;
    }

    static FormValidation checkEnvironment(final String value) {
        try {
            requireEnvironment(value);
            return FormValidation.ok();
        }
        catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkCooldown(final String value) {
        try {
            cooldown(value);
            return FormValidation.ok();
        }
        catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static ListBoxModel onTripItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.FreestyleForms_OnTrip_Policy(), "");
        items.add(Messages.FreestyleForms_OnTrip_Rollback(), "rollback");
        items.add(Messages.FreestyleForms_OnTrip_Freeze(), "freeze");
        items.add(Messages.FreestyleForms_OnTrip_Fail(), "fail");
        return items;
    }
}
