package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/** Contexts for tests: local processes, the system clock, and secrets from a map. */
final class TestContexts {
    private static final SystemScheduler CLOCK = new SystemScheduler(1);

    private TestContexts() {
        // static helpers only
    }

    static BackupContext create(final Map<String, String> secrets) {
        return create(secrets, new LocalCommandRunner());
    }

    /** A context whose listener adds each line to a list, errors with an {@code ERROR: } prefix. */
    static BackupContext recording(final List<String> lines) {
        return new BackupContext(SecretSource.of(Map.of()), new LocalCommandRunner(), CLOCK, new GuardListener() {
            @Override
            public void info(final String line) {
                lines.add(line);
            }

            @Override
            public void error(final String line) {
                lines.add("ERROR: " + line);
            }
        }, "point-1");
    }

    static BackupContext create(final Map<String, String> secrets, final CommandRunner runner) {
        return new BackupContext(SecretSource.of(secrets), runner, CLOCK, null, "point-1");
    }
}
