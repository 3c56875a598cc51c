package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.model.Cause;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.PasswordParameterValue;
import hudson.model.Run;
import hudson.Util;
import jenkins.util.VirtualFile;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;

/**
 * Reads what a build deploys, for its rollback point: archived artifacts with their SHA-256 and location, the git
 * commit (Git build data, else {@code GIT_COMMIT}), the non-secret parameters, and who started it. Reads archived
 * files: call it off the CPS thread.
 */
public class BuildFacts {
    private final GitFacts git;

    /** Creates the reader for the running Jenkins. */
    public BuildFacts() {
        this(new GitFacts());
    }

    /**
     * Creates the reader.
     *
     * @param git
     *         reads Git build data when the plugin is present
     */
    public BuildFacts(final GitFacts git) {
        this.git = git;
    }

    /**
     * Lists the build's archived artifacts.
     *
     * @param run
     *         the build
     * @param glob
     *         an Ant pattern selecting some of them, or blank for all
     * @return the artifacts with hash, size and location
     * @throws IOException
     *         if the archive cannot be read
     */
    public List<ArtifactRef> artifacts(final Run<?, ?> run, final String glob) throws IOException {
        VirtualFile root = run.getArtifactManager().root();
        String includes = Util.fixEmptyAndTrim(glob) == null ? "**" : glob.strip();
        List<ArtifactRef> refs = new ArrayList<>();
        for (String path : root.list(includes, null, true)) {
            VirtualFile file = root.child(path);
            refs.add(new ArtifactRef(path, BuildArtifactStore.sha256(file), file.length(),
                    BuildArtifactStore.location(run, path)));
        }
        return refs;
    }

    /**
     * Reads the deployed commit.
     *
     * @param run
     *         the build
     * @param environment
     *         the step's environment variables
     * @return the commit, or null
     */
    @CheckForNull
    public String commit(final Run<?, ?> run, final EnvVars environment) {
        return git.commit(run).orElse(Util.fixEmptyAndTrim(environment.get("GIT_COMMIT")));
    }

    /**
     * Lists the build's parameters that are not secret (password parameters and sensitive values are left out).
     *
     * @param run
     *         the build
     * @return name to value
     */
    public Map<String, String> parameters(final Run<?, ?> run) {
        Map<String, String> values = new LinkedHashMap<>();
        ParametersAction action = run.getAction(ParametersAction.class);
        if (action != null) {
            for (ParameterValue value : action.getParameters()) {
                if (!value.isSensitive() && !(value instanceof PasswordParameterValue) && value.getValue() != null) {
                    values.put(value.getName(), String.valueOf(value.getValue()));
                }
            }
        }
        return values;
    }

    /**
     * Names who started the build.
     *
     * @param run
     *         the build
     * @return a user id, or {@code jenkins} for timers, SCM and upstream triggers
     */
    public String actor(final Run<?, ?> run) {
        Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
        return user != null && user.getUserId() != null ? user.getUserId() : "jenkins";
    }
}
