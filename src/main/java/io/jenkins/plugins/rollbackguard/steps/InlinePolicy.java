package io.jenkins.plugins.rollbackguard.steps;

import java.util.List;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * How every Jenkins host lays its inline settings over a policy file, the one place for both: the Pipeline step
 * ({@code withRollbackGuard(probes: [...])}, {@link PolicyResolver}) and the freestyle step "Record rollback point"
 * (its "Probes" list). Both take the same probe describables ({@link GuardProbe}) and translate them here, so a probe
 * means the same in either host. Precedence: inline value &gt; policy file &gt; Jenkins global default &gt; engine
 * default; for a probe's analysis settings, inline value &gt; Jenkins global default &gt; engine default
 * ({@link ProbeDefaults}, where a default stands is the engine's {@code AnalysisSettingsBuilder.hostDefaults}). A
 * policy file is read with the global defaults ({@link #hostDefaults}), so its values already stand on them.
 */
public final class InlinePolicy {
    private InlinePolicy() {
    }

    /**
     * The global defaults as the engine takes them.
     *
     * @param defaults
     *         the Jenkins global configuration, or null for the engine's defaults only
     * @return its defaults for what a policy and its probes leave unset
     */
    public static HostDefaults hostDefaults(@CheckForNull final RollbackGuardConfiguration defaults) {
        return defaults == null ? HostDefaults.NONE : defaults.hostDefaults();
    }

    /**
     * The probes of a guarded deploy: the inline ones when there are any (they replace the file's, whole), else the
     * policy file's.
     *
     * @param inline
     *         the inline probes, possibly none
     * @param file
     *         the policy read from the file, or null without one
     * @param defaults
     *         the Jenkins global configuration, or null for the engine's defaults only
     * @return the engine's probe specifications
     * @throws IllegalArgumentException
     *         with the engine's message naming the field and the value
     */
    public static List<ProbeSpec> probes(final List<GuardProbe> inline, @CheckForNull final Policy file,
            @CheckForNull final RollbackGuardConfiguration defaults) {
        if (inline.isEmpty() && file != null) {
            return file.probes();
        }
        ProbeDefaults probeDefaults = ProbeDefaults.of(defaults);
        return inline.stream().map(probe -> probe.toSpec(probeDefaults)).toList();
    }

    /**
     * The cooldown: the inline value, else the policy file's (read with the Jenkins global default under it), else
     * the Jenkins global default ({@link HostDefaults#cooldown(String)}).
     *
     * @param inline
     *         the inline value, empty for none
     * @param file
     *         the policy read from the file, or null without one
     * @param defaults
     *         the Jenkins global configuration, or null for the engine's default
     * @return the cooldown, or null for the engine's default
     */
    @CheckForNull
    public static String cooldown(final String inline, @CheckForNull final Policy file,
            @CheckForNull final RollbackGuardConfiguration defaults) {
        if (file != null && inline.isEmpty()) {
            return file.cooldown();
        }
        return hostDefaults(defaults).cooldown(inline);
    }

    /**
     * How many good points keep their artifacts and backups: the policy file's (read with the Jenkins global default
     * under it), else the Jenkins global default ({@link HostDefaults#keepGood(Integer)}).
     *
     * @param file
     *         the policy read from the file, or null without one
     * @param defaults
     *         the Jenkins global configuration, or null for the engine's default
     * @return the number, or null for the engine's default
     */
    @CheckForNull
    public static Integer keepGood(@CheckForNull final Policy file,
            @CheckForNull final RollbackGuardConfiguration defaults) {
        return file != null ? file.keepGood() : hostDefaults(defaults).keepGood(null);
    }
}
