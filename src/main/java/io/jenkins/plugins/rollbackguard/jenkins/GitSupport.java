package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.Optional;

import hudson.model.Action;
import hudson.model.Run;
import hudson.plugins.git.Revision;
import hudson.plugins.git.RevisionParameterAction;
import hudson.plugins.git.util.BuildData;

/**
 * Everything that touches classes of the Git plugin, an optional dependency. Only {@link GitFacts} loads this
 * class, and only after checking that the plugin is active, so Rollback Guard runs without Git.
 */
final class GitSupport {
    private GitSupport() {
    }

    /**
     * Reads the commit a build checked out.
     *
     * @param run
     *         the build
     * @return the SHA-1 of the last built revision, if the Git plugin recorded one
     */
    static Optional<String> commit(final Run<?, ?> run) {
        BuildData data = run.getAction(BuildData.class);
        if (data == null) {
            return Optional.empty();
        }
        Revision revision = data.getLastBuiltRevision();
        return revision == null ? Optional.empty() : Optional.of(revision.getSha1String());
    }

    /**
     * Pins a commit for a new build.
     *
     * @param commit
     *         the SHA-1
     * @return the action that makes the Git SCM check out that commit
     */
    static Action pin(final String commit) {
        return new RevisionParameterAction(commit);
    }
}
