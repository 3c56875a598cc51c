package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.File;
import java.io.IOException;
import java.util.List;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import jenkins.MasterToSlaveFileCallable;

import io.jenkins.plugins.rollbackguard.engine.guard.FileChecks;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;

/**
 * Preflight's program and file checks run on the build's agent, where the commands, backups and hooks will run: one
 * short callable before anything is recorded (the engine's {@link FileChecks}; only strings come back). Called from
 * the guard's work pool, never the CPS VM thread.
 */
public final class AgentFileChecks {
    private AgentFileChecks() {
    }

    /**
     * Checks the policy's programs and files on the agent of a workspace.
     *
     * @param workspace
     *         a directory on the agent, which names it
     * @param policy
     *         the policy
     * @param searchPath
     *         the build's PATH, with which its commands run, or null for the agent's own
     * @return what was found; an agent that cannot be asked is one problem that refuses the deploy
     */
    public static FileChecks.Result check(final FilePath workspace, final Policy policy,
                                          @CheckForNull final String searchPath) {
        try {
            return workspace.act(new CheckOnAgent(policy, searchPath));
        }
        catch (IOException | RuntimeException e) {
            return new FileChecks.Result(List.of(("the programs and files of the policy cannot be checked on the "
                    + "agent (%s); nothing was recorded or run: bring the agent back or run on another")
                    .formatted(e.getMessage())), List.of());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FileChecks.Result(List.of("the check of the policy's programs on the agent was interrupted; "
                    + "nothing was recorded or run"), List.of());
        }
    }

    /** Runs the checks on the agent. */
    private static final class CheckOnAgent extends MasterToSlaveFileCallable<FileChecks.Result> {
        private static final long serialVersionUID = 1L; // first release

        private final Policy policy;
        @CheckForNull
        private final String searchPath;

        CheckOnAgent(final Policy policy, @CheckForNull final String searchPath) {
            super();
            this.policy = policy;
            this.searchPath = searchPath;
        }

        @Override
        public FileChecks.Result invoke(final File dir, final VirtualChannel channel) {
            return FileChecks.check(policy, searchPath != null ? searchPath : System.getenv("PATH"));
        }
    }
}
