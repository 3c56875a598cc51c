package io.jenkins.plugins.rollbackguard.cli;

/** The exit codes of {@code rollback-guard}, documented in docs/cli.md. */
final class ExitCodes {
    /** Success; for deploy: the deploy was judged healthy. */
    static final int OK = 0;
    /** The deploy failed or was rolled back. */
    static final int FAILED = 1;
    /** Bad usage: unknown option, missing argument, invalid value. */
    static final int USAGE = 2;
    /** The ledger, a policy file or a backup could not be read or is inconsistent. */
    static final int DATA = 3;
    /** Refused: the environment is frozen (circuit open) or another deploy holds it. */
    static final int REFUSED = 4;
    /** The rollback itself failed or needs a manual decision. */
    static final int ROLLBACK_FAILED = 5;

    private ExitCodes() {
    }
}
