package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.Optional;

import hudson.model.Action;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Git facts of a build when the Git plugin is installed, nothing otherwise: the gate in front of {@link GitSupport},
 * which is the only class that links against Git.
 */
public class GitFacts {
    private static final String GIT = "git";

    private final JenkinsFacade jenkins;

    /** Creates the facts of the running Jenkins. */
    public GitFacts() {
        this(new JenkinsFacade());
    }

    /**
     * Creates the facts with a facade.
     *
     * @param jenkins
     *         tells whether Git is installed
     */
    public GitFacts(final JenkinsFacade jenkins) {
        this.jenkins = jenkins;
    }

    /**
     * Reads the commit a build checked out.
     *
     * @param run
     *         the build
     * @return the commit, or empty without Git or without build data
     */
    public Optional<String> commit(final Run<?, ?> run) {
        return jenkins.isPluginActive(GIT) ? GitSupport.commit(run) : Optional.empty();
    }

    /**
     * Returns the action pinning a commit for a new build.
     *
     * @param commit
     *         the commit, may be null
     * @return the action, or empty without Git or without a commit
     */
    public Optional<Action> pin(final String commit) {
        if (commit == null || commit.isBlank() || !jenkins.isPluginActive(GIT)) {
            return Optional.empty();
        }
        return Optional.of(GitSupport.pin(commit));
    }
}
