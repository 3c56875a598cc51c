package io.jenkins.plugins.rollbackguard.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest (Implementation-Version). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"rollback-guard " + (version == null ? "development build" : version)};
    }
}
