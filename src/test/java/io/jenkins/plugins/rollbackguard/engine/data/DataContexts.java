package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/** Contexts for data-head tests: local processes, the system clock, secrets from a map. */
final class DataContexts {
    private static final SystemScheduler CLOCK = new SystemScheduler(1);

    private DataContexts() {
        // static helpers only
    }

    static BackupContext create(final Map<String, String> secrets) {
        return new BackupContext(SecretSource.of(secrets), new LocalCommandRunner(), CLOCK, null, "point-1");
    }

    /** A context whose runner records each request it runs. */
    static BackupContext recording(final Map<String, String> secrets, final List<CommandRequest> requests) {
        LocalCommandRunner local = new LocalCommandRunner();
        return new BackupContext(SecretSource.of(secrets), request -> {
            requests.add(request);
            CommandResult result = local.run(request);
            return result;
        }, CLOCK, null, "point-1");
    }
}
