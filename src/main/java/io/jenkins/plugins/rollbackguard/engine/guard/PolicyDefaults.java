package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * The engine's defaults and checks of the policy fields a host may default besides a probe's analysis
 * ({@link io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults}): {@code cooldown} and {@code keepGood}.
 * Both are asked of the {@link Policy} record itself, so a host's form says what a policy file would.
 */
public final class PolicyDefaults {
    private static final Policy MINIMAL = policy(null, null);

    private PolicyDefaults() {
        // static helpers only
    }

    /** @return the engine's {@code cooldown}, {@code 15m} */
    public static String cooldown() {
        return MINIMAL.cooldown();
    }

    /** @return the engine's {@code keepGood}, 5 */
    public static int keepGood() {
        return MINIMAL.keepGood();
    }

    /**
     * Checks a cooldown as the policy's record does.
     *
     * @param value
     *         the value as entered
     * @return the record's message ({@code cooldown: expected ... in '10x'}), or empty when the value is fine
     */
    public static Optional<String> checkCooldown(final String value) {
        return check(() -> policy(value == null ? "" : value.strip(), null));
    }

    /**
     * Checks a number of good points kept as the policy's record does.
     *
     * @param value
     *         the value as entered: a whole number
     * @return the record's message ({@code keepGood: must be at least 1, got 0}), or empty when the value is fine
     */
    public static Optional<String> checkKeepGood(final String value) {
        String text = value == null ? "" : value.strip();
        int number;
        try {
            number = Integer.parseInt(text);
        }
        catch (NumberFormatException e) {
            return Optional.of("keepGood: '%s' is not a whole number; give 1 or more".formatted(PolicyReader.shorten(text)));
        }
        return check(() -> policy(null, number));
    }

    private static Optional<String> check(final Runnable build) {
        try {
            build.run();
            return Optional.empty();
        }
        catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Policy policy(final String cooldown, final Integer keepGood) {
        return new Policy(EnvironmentName.of("defaults"), null, null, null, null, null, cooldown, keepGood, null, null,
                null, null, null, null, null, null, null);
    }
}
