package io.jenkins.plugins.rollbackguard.jenkins;

import org.jenkinsci.plugins.workflow.flow.FlowExecutionList;

import hudson.init.Terminator;

import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Ends the plugin's static state with the Jenkins that owns it. A JVM can outlive a Jenkins (a test harness restarts
 * Jenkins in one JVM, as {@code JenkinsSessionExtension} does): the sample pool and the open ledgers would otherwise
 * carry an old session's watches, guard machines and observers into the new one. All are rebuilt on first use after
 * a start.
 */
public final class PluginLifecycle {
    private PluginLifecycle() {
    }

    /**
     * Stops the old session's work and forgets its ledgers, once the Pipeline programs are suspended and saved: work
     * already given finishes (a ledger write is never cut in half), later work of the old session is refused.
     */
    @Terminator(requires = FlowExecutionList.LIST_SAVED)
    public static void stop() {
        // the work pool first: a watch that the closed sample pool ends "with what it has" must find its verdict's
        // ledger write refused (the step resumes the watch after the restart), not judge a cut-short watch
        WorkPool.shutdown();
        SamplePool.shutdown();
        LedgerFacade.closeAll();
    }
}
