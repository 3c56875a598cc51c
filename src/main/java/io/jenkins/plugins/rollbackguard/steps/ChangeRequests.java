package io.jenkins.plugins.rollbackguard.steps;

import hudson.model.Run;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/** Tells change-request (pull request) builds apart, through the SCM API's head of the build's job. */
class ChangeRequests {
    /**
     * Tells whether a build builds a change request.
     *
     * @param run
     *         the build
     * @return whether its job's SCM head is a change request
     */
    boolean isChangeRequest(final Run<?, ?> run) {
        return SCMHead.HeadByItem.findHead(run.getParent()) instanceof ChangeRequestSCMHead;
    }
}
