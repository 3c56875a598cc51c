package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * Every default a host may give a policy: the Jenkins global configuration, or the CLI's
 * {@code $ROLLBACK_GUARD_HOME/defaults.yaml}. The probes' analysis ({@link AnalysisDefaults}) and the policy's
 * {@code cooldown} and {@code keepGood}. Precedence, the same in every host and for every field: the inline or policy
 * value &gt; the host's default &gt; the engine's default. {@link PolicyReader#PolicyReader(HostDefaults)} lays them
 * under a policy file; a host without a policy file asks {@link #cooldown(String)} and {@link #keepGood(Integer)}.
 * Each value is null where the host sets none, and is checked by the policy's own record, so a host default is
 * refused with the words the same value in a policy gets.
 *
 * @param analysis
 *         the defaults of the probes' analysis, and the source of all ({@link AnalysisDefaults#source()})
 * @param cooldown
 *         the default {@code cooldown}, or null
 * @param keepGood
 *         the default {@code keepGood}, or null
 */
public record HostDefaults(AnalysisDefaults analysis, String cooldown, Integer keepGood) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The policy-level fields a host may default, under the names of a policy. */
    public static final List<String> POLICY_FIELDS = List.of("cooldown", "keepGood");

    /** Every field a host may default: the analysis' ({@link AnalysisDefaults#FIELDS}), then the policy's. */
    public static final List<String> FIELDS = Stream.concat(AnalysisDefaults.FIELDS.stream(), POLICY_FIELDS.stream())
            .toList();

    /** No host defaults: the engine's apply. */
    public static final HostDefaults NONE = new HostDefaults(AnalysisDefaults.NONE, null, null);

    /** Checks the policy-level values with the policy's record; its messages name the field and the value. */
    public HostDefaults {
        analysis = analysis == null ? AnalysisDefaults.NONE : analysis;
        cooldown = cooldown == null || cooldown.isBlank() ? null : cooldown.strip();
        if (cooldown != null) {
            PolicyDefaults.checkCooldown(cooldown).ifPresent(HostDefaults::refuse);
        }
        if (keepGood != null) {
            PolicyDefaults.checkKeepGood(keepGood.toString()).ifPresent(HostDefaults::refuse);
        }
    }

    /**
     * Only the defaults of the probes' analysis.
     *
     * @param analysis
     *         the defaults of the probes' analysis
     * @return the host defaults without policy-level ones
     */
    public static HostDefaults of(final AnalysisDefaults analysis) {
        return new HostDefaults(analysis, null, null);
    }

    /** @return the engine's own values of every field a host may default */
    public static HostDefaults engine() {
        return new HostDefaults(AnalysisDefaults.engine(), PolicyDefaults.cooldown(), PolicyDefaults.keepGood());
    }

    /** @return where the defaults come from, as {@code validate --explain} names it */
    public String source() {
        return analysis.source();
    }

    /** @return whether no value is set */
    public boolean isNone() {
        return analysis.isNone() && cooldown == null && keepGood == null;
    }

    /**
     * The cooldown of a policy that is given one or not: the rule {@link PolicyReader} applies to a file.
     *
     * @param given
     *         the inline or policy value, null or empty for none
     * @return the given value, else the host's default, else null for the engine's
     */
    public String cooldown(final String given) {
        return given == null || given.isEmpty() ? cooldown : given;
    }

    /**
     * The number of good points kept of a policy that is given one or not: the rule {@link PolicyReader} applies.
     *
     * @param given
     *         the inline or policy value, or null for none
     * @return the given value, else the host's default, else null for the engine's
     */
    public Integer keepGood(final Integer given) {
        return given == null ? keepGood : given;
    }

    /**
     * Tells the host's value of a policy-level field.
     *
     * @param field
     *         one of {@link #POLICY_FIELDS}
     * @return the value, or empty where the host sets none
     */
    Optional<Object> policyValue(final String field) {
        return Optional.ofNullable("cooldown".equals(field) ? cooldown : keepGood);
    }

    private static void refuse(final String message) {
        throw new IllegalArgumentException(message);
    }
}
