package io.jenkins.plugins.rollbackguard.jenkins;

import hudson.init.Terminator;

import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Ends the plugin's static state with the Jenkins that owns it. A JVM can outlive a Jenkins (a test harness restarts
 * Jenkins in one JVM, as {@code JenkinsSessionExtension} does): the sample pool and the open ledgers would otherwise
 * carry an old session's watches and observers into the new one. Both are rebuilt on first use after a start.
 */
public final class PluginLifecycle {
    private PluginLifecycle() {
    }

    /** Stops the old session's work and forgets its ledgers. */
    @Terminator
    public static void stop() {
        SamplePool.shutdown();
        LedgerFacade.closeAll();
    }
}
