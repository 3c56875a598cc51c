package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Optional;
import java.util.concurrent.Executor;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * A machine host for tests that hands everything to another host (a session's local one), except that its deploy
 * resumes after a restart, as a Pipeline body's does; a test overrides what its host does differently.
 */
class DelegatingHost implements GuardMachine.Host {
    private final GuardMachine.Host local;

    DelegatingHost(final GuardMachine.Host local) {
        this.local = local;
    }

    @Override
    public Probe probe(final ProbeSpec spec) {
        return local.probe(spec);
    }

    @Override
    public BackupManifest takeBackup(final BackupSpec spec, final String key) {
        return local.takeBackup(spec, key);
    }

    @Override
    public Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
        return local.findBackup(spec, key);
    }

    @Override
    public Reverter reverter() {
        return local.reverter();
    }

    @Override
    public Executor work() {
        return local.work();
    }

    @Override
    public boolean deployResumes() {
        return true;
    }
}
