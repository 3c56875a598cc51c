package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Every secret a policy names, by the path of its field: probe credentials, probe and backup
 * {@code secretEnvironment}, database passwords, webhook tokens, hook and deploy-command secrets. A session resolves
 * them all before it records anything, so that a missing or mistyped name stops the deploy before it runs, and so
 * that the run's masker knows every value before the first line is printed.
 */
final class PolicySecrets {
    private PolicySecrets() {
    }

    /**
     * Lists the secret names of a policy.
     *
     * @param policy
     *         the policy
     * @return secret name by field path, in policy order
     */
    static Map<String, String> names(final Policy policy) {
        Map<String, String> names = new LinkedHashMap<>();
        List<ProbeSpec> probes = policy.probes();
        for (int i = 0; i < probes.size(); i++) {
            String at = "probes[%d]".formatted(i);
            ProbeSpec probe = probes.get(i);
            if (probe instanceof HttpProbeSpec http) {
                auth(names, at, http.auth());
            }
            else if (probe instanceof PrometheusProbeSpec prometheus) {
                auth(names, at, prometheus.auth());
            }
            else if (probe instanceof CommandProbeSpec command) {
                environment(names, at + ".secretEnvironment", command.secretEnvironment());
            }
        }
        List<BackupSpec> backups = policy.backups();
        for (int i = 0; i < backups.size(); i++) {
            String at = "backups[%d]".formatted(i);
            BackupSpec backup = backups.get(i);
            if (backup instanceof PostgresBackupSpec postgres) {
                put(names, at + ".passwordSecret", postgres.passwordSecret());
            }
            else if (backup instanceof MysqlBackupSpec mysql) {
                put(names, at + ".passwordSecret", mysql.passwordSecret());
            }
            else if (backup instanceof CommandBackupSpec command) {
                environment(names, at + ".secretEnvironment", command.secretEnvironment());
            }
        }
        for (int i = 0; i < policy.notifications().size(); i++) {
            put(names, "notifications[%d].tokenSecret".formatted(i), policy.notifications().get(i).tokenSecret());
        }
        hooks(names, "hooks.beforeRevert", policy.hooks().beforeRevert());
        hooks(names, "hooks.afterRevert", policy.hooks().afterRevert());
        environment(names, "deploySecretEnvironment", policy.deploySecretEnvironment());
        if (policy.dataVersion() != null && policy.dataVersion().undo() != null) {
            environment(names, "dataVersion.undo.secretEnvironment", policy.dataVersion().undo().secretEnvironment());
        }
        return names;
    }

    /**
     * Resolves every secret of a policy through the run's source (which remembers them for its masker).
     *
     * @param policy
     *         the policy
     * @param secrets
     *         the run's source
     * @return the fields resolved
     * @throws IllegalArgumentException
     *         naming the first field whose secret is missing (and the name only if it looks like one)
     */
    static List<String> require(final Policy policy, final SecretSource secrets) {
        Map<String, String> names = names(policy);
        names.forEach((field, name) -> secrets.require(name, field));
        return List.copyOf(names.keySet());
    }

    /**
     * Resolves the secrets of a policy that exist, where a missing one must not stop what runs (a revert): it
     * fails later, where it is used, with its field named.
     *
     * @param policy
     *         the policy
     * @param secrets
     *         the run's source
     */
    static void resolveAvailable(final Policy policy, final SecretSource secrets) {
        names(policy).values().forEach(secrets::find);
    }

    private static void auth(final Map<String, String> names, final String at, final Auth auth) {
        if (auth != null) {
            put(names, at + ".auth.bearerSecret", auth.bearerSecret());
            put(names, at + ".auth.passwordSecret", auth.passwordSecret());
        }
    }

    private static void hooks(final Map<String, String> names, final String at, final List<HooksSpec.HookCommand> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            environment(names, "%s[%d].secretEnvironment".formatted(at, i), hooks.get(i).secretEnvironment());
        }
    }

    private static void environment(final Map<String, String> names, final String at, final Map<String, String> env) {
        env.forEach((variable, name) -> put(names, at + "." + variable, name));
    }

    private static void put(final Map<String, String> names, final String field, final String name) {
        if (name != null) {
            names.put(field, name);
        }
    }
}
