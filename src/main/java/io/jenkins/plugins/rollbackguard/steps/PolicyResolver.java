package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.guard.DataVersionSpec;
import io.jenkins.plugins.rollbackguard.engine.guard.ExplainedPolicy;
import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * Turns the step's settings into the engine's {@link Policy}: a policy file from the workspace if named, with the
 * inline settings laid over it, and the global defaults where neither says (cooldown, keepGood; for every probe,
 * inline or from the file, interval, watch as duration, failureLimit and consecutiveErrorLimit, see
 * {@link ProbeDefaults} and the engine's {@code PolicyReader(HostDefaults)}), by the rules the freestyle step
 * shares ({@link InlinePolicy}). The engine validates every value; its messages name the field.
 */
final class PolicyResolver {
    private final RollbackGuardConfiguration defaults;
    /** What the policy file's probes took from the global configuration, once read. */
    private Optional<String> taken = Optional.empty();

    PolicyResolver(final RollbackGuardConfiguration defaults) {
        this.defaults = defaults;
    }

    /**
     * Resolves the policy. Reads the workspace: call it off the CPS thread.
     *
     * @param step
     *         the step's settings
     * @param workspace
     *         the workspace, or null outside {@code node}
     * @return the policy
     * @throws AbortException
     *         with the engine's message when a value is wrong or the file cannot be read
     * @throws InterruptedException
     *         if interrupted while reading
     */
    Policy resolve(final WithRollbackGuardStep step, @CheckForNull final FilePath workspace)
            throws AbortException, InterruptedException {
        try {
            Policy base = file(step.getPolicy(), workspace, InlinePolicy.hostDefaults(defaults));
            String environment = !step.getEnvironment().isEmpty() ? step.getEnvironment()
                    : base == null ? null : base.environment().value();
            if (environment == null) {
                throw new AbortException("withRollbackGuard: name the environment (environment: 'prod') or a policy file");
            }
            taken = step.getProbes().isEmpty() ? taken : Optional.empty(); // inline probes replace the file's
            List<ProbeSpec> probes = InlinePolicy.probes(step.getProbes(), base, defaults); // as the freestyle step
            List<BackupSpec> backups = step.getBackups().isEmpty() && base != null ? base.backups()
                    : step.getBackups().stream().map(GuardBackup::toSpec).toList();
            Policy.OnTrip onTrip = step.getOnTrip().isEmpty() ? base == null ? null : base.onTrip()
                    : Policy.OnTrip.valueOf(step.getOnTrip().toUpperCase(Locale.ROOT));
            String cooldown = InlinePolicy.cooldown(step.getCooldown(), base, defaults);
            DataVersionSpec dataVersion = !step.getDataVersion().isEmpty()
                    ? new DataVersionSpec(step.getDataVersion(), null) : base == null ? null : base.dataVersion();
            Integer keepGood = InlinePolicy.keepGood(base, defaults);
            return new Policy(EnvironmentName.of(environment), probes, backups,
                    base == null ? null : base.onBackupFailure(), onTrip, base == null ? null : base.onInconclusive(),
                    cooldown, keepGood, base == null ? null : base.keepBackups(), dataVersion,
                    base == null ? null : base.allowDataRestore(), base == null ? null : base.lastGoodCheck(),
                    base == null ? null : base.concurrent(), base == null ? null : base.lockTimeout(),
                    base == null ? null : base.hooks(), base == null ? null : base.notifications(),
                    base == null ? null : base.deployTimeout(), base == null ? null : base.deploySecretEnvironment(),
                    base == null ? null : base.publicParameters(), base == null ? null : base.preflight(),
                    base == null ? null : base.evidence()); // every field: a shorter constructor drops the newest
        }
        catch (IllegalArgumentException e) { // the engine's validation, naming the field
            throw new AbortException("withRollbackGuard: " + e.getMessage());
        }
    }

    /**
     * Returns the same policy with automatic reverts turned off (a revert whose bad point is unknown).
     *
     * @param policy
     *         the policy
     * @return the copy with {@code onTrip: freeze}
     */
    static Policy freezing(final Policy policy) {
        return new Policy(policy.environment(), policy.probes(), policy.backups(), policy.onBackupFailure(),
                Policy.OnTrip.FREEZE, policy.onInconclusive(), policy.cooldown(), policy.keepGood(),
                policy.keepBackups(), policy.dataVersion(), policy.allowDataRestore(), policy.lastGoodCheck(),
                policy.concurrent(), policy.lockTimeout(), policy.hooks(), policy.notifications(),
                policy.deployTimeout(), policy.deploySecretEnvironment(), policy.publicParameters(),
                policy.preflight(), policy.evidence());
    }

    /**
     * Returns the same policy with {@code concurrent: wait}: a reverting build is scheduled by the build it reverts,
     * which still holds the environment's lease until its step ends; refusing would lose the revert.
     *
     * @param policy
     *         the policy
     * @return the copy, or the policy itself when it waits already
     */
    static Policy waiting(final Policy policy) {
        if (policy.concurrent() == Policy.Concurrency.WAIT) {
            return policy;
        }
        return new Policy(policy.environment(), policy.probes(), policy.backups(), policy.onBackupFailure(),
                policy.onTrip(), policy.onInconclusive(), policy.cooldown(), policy.keepGood(),
                policy.keepBackups(), policy.dataVersion(), policy.allowDataRestore(), policy.lastGoodCheck(),
                Policy.Concurrency.WAIT, policy.lockTimeout(), policy.hooks(), policy.notifications(),
                policy.deployTimeout(), policy.deploySecretEnvironment(), policy.publicParameters(),
                policy.preflight(), policy.evidence());
    }

    @CheckForNull
    /**
     * Says which values of the policy file's probes came from the global configuration, for the build log.
     *
     * @return the line, or empty without a policy file or when its probes took no global default
     */
    Optional<String> globalDefaultsTaken() {
        return taken;
    }

    private Policy file(final String path, @CheckForNull final FilePath workspace,
            final HostDefaults hostDefaults) throws AbortException, InterruptedException {
        if (path.isEmpty()) {
            return null;
        }
        if (workspace == null) {
            throw new AbortException("withRollbackGuard: policy: '%s' is read from the workspace; use the step inside node"
                    .formatted(path));
        }
        try {
            try (java.io.InputStream in = workspace.child(path).read()) { // bounded: a huge file is not read whole
                ExplainedPolicy read = new PolicyReader(hostDefaults).explain(path, PolicyReader.text(path, in));
                taken = read.fromHost().map(values -> path + ": " + values); // file value > global default > engine's
                return read.policy();
            }
        }
        catch (IOException e) {
            throw new AbortException("withRollbackGuard: policy: cannot read '%s': %s".formatted(path, e.getMessage()));
        }
        catch (RuntimeException e) { // PolicyException names the file and the field
            throw new AbortException("withRollbackGuard: " + e.getMessage());
        }
    }
}
