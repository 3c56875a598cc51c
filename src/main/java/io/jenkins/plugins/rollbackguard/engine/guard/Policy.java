package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * What a guarded deploy does: where it deploys, which probes judge it, which backups protect it, and
 * what happens on a trip. One schema for the policy file (YAML or JSON, see {@link PolicyReader}), the
 * Jenkins steps and the freestyle actions. Field by field in docs/policy.md.
 *
 * @param environment
 *         the environment deployed to
 * @param probes
 *         the health probes watched after the deploy
 * @param backups
 *         the backups taken before the deploy
 * @param onBackupFailure
 *         {@code stop} (default: the deploy does not run) or {@code warn}
 * @param onTrip
 *         {@code rollback} (default), {@code freeze} (open the circuit, no revert) or {@code fail} (mark bad only)
 * @param onInconclusive
 *         {@code hold} (default: the point stays INCONCLUSIVE, no revert), {@code pass} or {@code fail} (treated as a trip)
 * @param cooldown
 *         minimum time between two automatic rollbacks of the environment (default 15m)
 * @param keepGood
 *         how many of the last good points keep their artifacts and backups (default 5)
 * @param keepBackups
 *         how many backups per environment to keep beyond those (default 10)
 * @param dataVersion
 *         the schema or data version this deploy expects, or null
 * @param allowDataRestore
 *         whether a revert across a data-version change may restore the target's database backup
 * @param lastGoodCheck
 *         what preflight does when no restorable last good point exists: {@code warn} (default) or {@code refuse}
 * @param concurrent
 *         a second deploy to the same environment {@code wait}s (default) or is {@code refuse}d
 * @param lockTimeout
 *         how long a waiting deploy waits (default 30m)
 * @param hooks
 *         commands run before and after a revert that leaves a point deployed with this policy
 * @param notifications
 *         webhooks told of trips, reverts and freezes
 * @param deployTimeout
 *         how long the deploy command may run (default 30m)
 * @param deploySecretEnvironment
 *         variables the CLI's deploy command gets from secrets: variable name to secret NAME (Jenkins deploys run
 *         the Pipeline body, which gets its secrets from {@code withCredentials})
 * @param publicParameters
 *         parameters whose names look secret (they hold password, passwd, token, secret, key or credential) but
 *         are not: recorded as given
 * @param preflight
 *         what preflight does beyond the static checks ({@code reach}), or null for the defaults
 * @param evidence
 *         where the log tail of a trip's evidence comes from, or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Policy(EnvironmentName environment, List<ProbeSpec> probes, List<BackupSpec> backups,
                     OnBackupFailure onBackupFailure, OnTrip onTrip, OnInconclusive onInconclusive, String cooldown,
                     Integer keepGood, Integer keepBackups, DataVersionSpec dataVersion, Boolean allowDataRestore,
                     LastGoodCheck lastGoodCheck, Concurrency concurrent, String lockTimeout, HooksSpec hooks,
                     List<NotificationSpec> notifications, String deployTimeout,
                     Map<String, String> deploySecretEnvironment, List<String> publicParameters,
                     PreflightSpec preflight, EvidenceSpec evidence) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Fills defaults and checks every field; errors name the field and the value. */
    public Policy {
        if (environment == null) {
            throw new IllegalArgumentException("environment: is required");
        }
        probes = probes == null ? List.of() : List.copyOf(probes);
        backups = backups == null ? List.of() : List.copyOf(backups);
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
        onBackupFailure = onBackupFailure == null ? OnBackupFailure.STOP : onBackupFailure;
        onTrip = onTrip == null ? OnTrip.ROLLBACK : onTrip;
        onInconclusive = onInconclusive == null ? OnInconclusive.HOLD : onInconclusive;
        cooldown = cooldown == null ? "15m" : cooldown;
        lockTimeout = lockTimeout == null ? "30m" : lockTimeout;
        deployTimeout = deployTimeout == null ? "30m" : deployTimeout;
        keepGood = positive("keepGood", keepGood, 5);
        keepBackups = positive("keepBackups", keepBackups, 10);
        allowDataRestore = allowDataRestore != null && allowDataRestore;
        lastGoodCheck = lastGoodCheck == null ? LastGoodCheck.WARN : lastGoodCheck;
        concurrent = concurrent == null ? Concurrency.WAIT : concurrent;
        hooks = hooks == null ? HooksSpec.none() : hooks;
        deploySecretEnvironment = deploySecretEnvironment == null ? Map.of() : Map.copyOf(deploySecretEnvironment);
        deploySecretEnvironment.forEach((variable, secret) ->
                SecretNames.checkVariable("deploySecretEnvironment", variable, secret));
        publicParameters = publicParameters == null ? List.of() : List.copyOf(publicParameters);
        for (int i = 0; i < publicParameters.size(); i++) {
            if (publicParameters.get(i) == null || publicParameters.get(i).isBlank()) {
                throw new IllegalArgumentException(
                        "publicParameters[%d]: is empty; list the names of parameters that are not secret".formatted(i));
            }
        }
        if (evidence != null) {
            evidence.checkOneSource();
        }
        Durations.parse("cooldown", cooldown);
        Durations.parse("lockTimeout", lockTimeout);
        Durations.parse("deployTimeout", deployTimeout);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < probes.size(); i++) {
            if (!names.add(probes.get(i).name())) {
                throw new IllegalArgumentException("probes[%d].name: '%s' is used twice; probe names must be unique"
                        .formatted(i, probes.get(i).name()));
            }
        }
    }

    /**
     * Creates a policy with preflight's defaults (the fields before {@code preflight} existed).
     *
     * @param environment
     *         the environment
     * @param probes
     *         the probes
     * @param backups
     *         the backups
     * @param onBackupFailure
     *         what a failed backup does
     * @param onTrip
     *         what a trip does
     * @param onInconclusive
     *         what an inconclusive watch does
     * @param cooldown
     *         the cooldown
     * @param keepGood
     *         how many good points keep their artifacts
     * @param keepBackups
     *         how many further backups are kept
     * @param dataVersion
     *         the data version
     * @param allowDataRestore
     *         whether a revert may restore data
     * @param lastGoodCheck
     *         what preflight does without a last good point
     * @param concurrent
     *         what a second deploy does
     * @param lockTimeout
     *         how long a waiting deploy waits
     * @param hooks
     *         the revert hooks
     * @param notifications
     *         the webhooks
     * @param deployTimeout
     *         how long the deploy command may run
     * @param deploySecretEnvironment
     *         the deploy command's secrets
     * @param publicParameters
     *         parameters that are not secret
     */
    public Policy(final EnvironmentName environment, final List<ProbeSpec> probes, final List<BackupSpec> backups,
                  final OnBackupFailure onBackupFailure, final OnTrip onTrip, final OnInconclusive onInconclusive,
                  final String cooldown, final Integer keepGood, final Integer keepBackups, final DataVersionSpec dataVersion,
                  final Boolean allowDataRestore, final LastGoodCheck lastGoodCheck, final Concurrency concurrent,
                  final String lockTimeout, final HooksSpec hooks, final List<NotificationSpec> notifications,
                  final String deployTimeout, final Map<String, String> deploySecretEnvironment,
                  final List<String> publicParameters) {
        this(environment, probes, backups, onBackupFailure, onTrip, onInconclusive, cooldown, keepGood, keepBackups,
                dataVersion, allowDataRestore, lastGoodCheck, concurrent, lockTimeout, hooks, notifications, deployTimeout,
                deploySecretEnvironment, publicParameters, null, null);
    }

    /**
     * Creates a policy without evidence (the fields before {@code evidence} existed).
     *
     * @param environment the environment @param probes the probes @param backups the backups
     * @param onBackupFailure what a failed backup does @param onTrip what a trip does
     * @param onInconclusive what an inconclusive watch does @param cooldown the cooldown
     * @param keepGood how many good points keep their artifacts @param keepBackups how many further backups are kept
     * @param dataVersion the data version @param allowDataRestore whether a revert may restore data
     * @param lastGoodCheck what preflight does without a last good point @param concurrent what a second deploy does
     * @param lockTimeout how long a waiting deploy waits @param hooks the revert hooks @param notifications the webhooks
     * @param deployTimeout how long the deploy command may run @param deploySecretEnvironment the deploy's secrets
     * @param publicParameters parameters that are not secret @param preflight what preflight does
     */
    public Policy(final EnvironmentName environment, final List<ProbeSpec> probes, final List<BackupSpec> backups,
                  final OnBackupFailure onBackupFailure, final OnTrip onTrip, final OnInconclusive onInconclusive,
                  final String cooldown, final Integer keepGood, final Integer keepBackups, final DataVersionSpec dataVersion,
                  final Boolean allowDataRestore, final LastGoodCheck lastGoodCheck, final Concurrency concurrent,
                  final String lockTimeout, final HooksSpec hooks, final List<NotificationSpec> notifications,
                  final String deployTimeout, final Map<String, String> deploySecretEnvironment,
                  final List<String> publicParameters, final PreflightSpec preflight) {
        this(environment, probes, backups, onBackupFailure, onTrip, onInconclusive, cooldown, keepGood, keepBackups,
                dataVersion, allowDataRestore, lastGoodCheck, concurrent, lockTimeout, hooks, notifications, deployTimeout,
                deploySecretEnvironment, publicParameters, preflight, null);
    }

    /**
     * Returns this policy with the reachability check on or off (the CLI's {@code --no-reach}).
     *
     * @param reach
     *         whether preflight reaches the probes
     * @return the copy
     */
    public Policy withReach(final boolean reach) {
        return new Policy(environment, probes, backups, onBackupFailure, onTrip, onInconclusive, cooldown, keepGood,
                keepBackups, dataVersion, allowDataRestore, lastGoodCheck, concurrent, lockTimeout, hooks, notifications,
                deployTimeout, deploySecretEnvironment, publicParameters, new PreflightSpec(reach), evidence);
    }

    /**
     * Returns where the data version comes from: the policy's {@code dataVersion}, or, when it has none but backs up
     * a PostgreSQL or MariaDB/MySQL database, that database's migration head ({@link DataVersionSpec#database()}):
     * no configuration beyond the backup's connection. See {@link #tracksDataImplicitly()}.
     *
     * @return the source, or null when the data version is not tracked
     */
    public DataVersionSpec dataTracking() {
        if (dataVersion != null) {
            return dataVersion;
        }
        return backups.stream().anyMatch(Policy::isDatabase) ? DataVersionSpec.database() : null;
    }

    /**
     * @return whether the data version is read from a database backup's connection without a {@code dataVersion}
     *         field: a read that fails, or a database without migration history, then tracks nothing (a warning)
     *         instead of refusing the deploy
     */
    public boolean tracksDataImplicitly() {
        return dataVersion == null && dataTracking() != null;
    }

    private static boolean isDatabase(final BackupSpec spec) {
        return spec.kind() == io.jenkins.plugins.rollbackguard.engine.backup.BackupKind.POSTGRES
                || spec.kind() == io.jenkins.plugins.rollbackguard.engine.backup.BackupKind.MYSQL;
    }

    /**
     * Returns this policy with other probes: a host's inline probes, which replace the file's (every Jenkins host does
     * the same: inline probes, when there are any, are the probes; none inline keeps the file's).
     *
     * @param replacement
     *         the probes; the record checks their names as for a policy file
     * @return the copy
     */
    public Policy withProbes(final List<ProbeSpec> replacement) {
        return new Policy(environment, replacement, backups, onBackupFailure, onTrip, onInconclusive, cooldown, keepGood,
                keepBackups, dataVersion, allowDataRestore, lastGoodCheck, concurrent, lockTimeout, hooks, notifications,
                deployTimeout, deploySecretEnvironment, publicParameters, preflight, evidence);
    }

    /** @return whether preflight reaches each HTTP and Prometheus probe once (unless {@code preflight: {reach: false}}) */
    public boolean reachesProbes() {
        return preflight == null || preflight.reaches();
    }

    /**
     * Creates a policy without deploy secrets or public parameters (the fields before they existed).
     *
     * @param environment
     *         the environment
     * @param probes
     *         the probes
     * @param backups
     *         the backups
     * @param onBackupFailure
     *         what a failed backup does
     * @param onTrip
     *         what a trip does
     * @param onInconclusive
     *         what an inconclusive watch does
     * @param cooldown
     *         the cooldown
     * @param keepGood
     *         how many good points keep their artifacts
     * @param keepBackups
     *         how many further backups are kept
     * @param dataVersion
     *         the data version
     * @param allowDataRestore
     *         whether a revert may restore data
     * @param lastGoodCheck
     *         what preflight does without a last good point
     * @param concurrent
     *         what a second deploy does
     * @param lockTimeout
     *         how long a waiting deploy waits
     * @param hooks
     *         the revert hooks
     * @param notifications
     *         the webhooks
     * @param deployTimeout
     *         how long the deploy command may run
     */
    public Policy(final EnvironmentName environment, final List<ProbeSpec> probes, final List<BackupSpec> backups,
                  final OnBackupFailure onBackupFailure, final OnTrip onTrip, final OnInconclusive onInconclusive,
                  final String cooldown, final Integer keepGood, final Integer keepBackups, final DataVersionSpec dataVersion,
                  final Boolean allowDataRestore, final LastGoodCheck lastGoodCheck, final Concurrency concurrent,
                  final String lockTimeout, final HooksSpec hooks, final List<NotificationSpec> notifications,
                  final String deployTimeout) {
        this(environment, probes, backups, onBackupFailure, onTrip, onInconclusive, cooldown, keepGood, keepBackups,
                dataVersion, allowDataRestore, lastGoodCheck, concurrent, lockTimeout, hooks, notifications, deployTimeout,
                null, null, null);
    }

    /**
     * Tells whether a parameter was declared not secret.
     *
     * @param name
     *         the parameter's name
     * @return whether it is listed in {@code publicParameters} (ignoring case)
     */
    public boolean isPublicParameter(final String name) {
        return publicParameters.stream().anyMatch(p -> p.equalsIgnoreCase(name));
    }

    private static int positive(final String field, final Integer value, final int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("%s: must be at least 1, got %d".formatted(field, value));
        }
        return value;
    }

    /** @return the cooldown as a duration */
    public Duration cooldownDuration() {
        return Durations.parse("cooldown", cooldown);
    }

    /** @return the lock timeout as a duration */
    public Duration lockTimeoutDuration() {
        return Durations.parse("lockTimeout", lockTimeout);
    }

    /** @return the deploy timeout as a duration */
    public Duration deployTimeoutDuration() {
        return Durations.parse("deployTimeout", deployTimeout);
    }

    /** What a failed backup does to the deploy. */
    public enum OnBackupFailure {
        /** The deploy does not run. */
        STOP,
        /** The deploy runs without that backup. */
        WARN
    }

    /** What a failed watch does. */
    public enum OnTrip {
        /** Mark bad, open the circuit, revert to the last good point. */
        ROLLBACK,
        /** Mark bad and open the circuit; a person decides. */
        FREEZE,
        /** Mark bad only. */
        FAIL
    }

    /** What an inconclusive watch does. */
    public enum OnInconclusive {
        /** Keep the point INCONCLUSIVE; nothing reverts. */
        HOLD,
        /** Count it as passed. */
        PASS,
        /** Count it as a trip. */
        FAIL
    }

    /** What preflight does without a restorable last good point. */
    public enum LastGoodCheck {
        /** Warn and go on. */
        WARN,
        /** Refuse the deploy. */
        REFUSE
    }

    /** What a second deploy to a busy environment does. */
    public enum Concurrency {
        /** Wait for the first (up to lockTimeout). */
        WAIT,
        /** Refuse at once. */
        REFUSE
    }
}
