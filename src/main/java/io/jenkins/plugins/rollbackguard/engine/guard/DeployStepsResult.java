package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Locale;

/**
 * What the result of the steps that deployed (a freestyle build's steps before the recorder) says about the deploy.
 * The boundary is UNSTABLE: an unstable build (tests failed, a quality gate warned) still ran its deploy to the end,
 * so it is watched like a successful one. A failed build is a failed deploy; an aborted build is an abort, never a
 * failed deploy (no trip, circuit unchanged, nothing reverted), and so is a build that did not run its steps
 * (NOT_BUILT): nothing was deployed to judge.
 *
 * <p>The host reports the steps' end to the guard machine as {@link #deployEnd}; a build that ended without its
 * watch step (a job without the post-build action, or one for another environment) as {@link #unwatchedEnd}.</p>
 */
public enum DeployStepsResult {
    /** The steps ran to the end: watch the deploy. */
    FINISHED,
    /** The steps failed: the deploy failed, as a trip. */
    FAILED,
    /** A person or a timeout stopped the build, or it did not run its steps (NOT_BUILT): the point is ABORTED. */
    ABORTED;

    /**
     * Classifies a build result by its name, as Jenkins writes it.
     *
     * @param result
     *         {@code SUCCESS}, {@code UNSTABLE}, {@code FAILURE}, {@code NOT_BUILT} or {@code ABORTED}; null while
     *         the build has not set one (it is still successful)
     * @return what the steps' result means for the deploy
     * @throws IllegalArgumentException
     *         for a name that is no build result
     */
    public static DeployStepsResult ofBuildResult(final String result) {
        if (result == null) {
            return FINISHED;
        }
        return switch (result.toUpperCase(Locale.ROOT)) {
            case "SUCCESS", "UNSTABLE" -> FINISHED;
            case "FAILURE" -> FAILED;
            case "ABORTED", "NOT_BUILT" -> ABORTED;
            default -> throw new IllegalArgumentException(
                    "build result: '%s' is not one of SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED".formatted(result));
        };
    }

    /**
     * The event a host reports to the guard machine when the deploy steps ended and the watch step runs.
     *
     * @param stoppedBy
     *         what the host saw stop the steps besides their result (an abort's cause: a person or a timeout; an
     *         agent that went away during failed steps), or null
     * @param detail
     *         one line: the result, and who or what stopped the steps
     * @return finished (watch it), failed (a trip) or interrupted (an abort for a deliberate cause, else in doubt)
     */
    public GuardMachine.DeployEnd deployEnd(final Interruption stoppedBy, final String detail) {
        return switch (this) {
            case FINISHED -> new GuardMachine.Finished();
            case FAILED -> stoppedBy == null ? new GuardMachine.Failed(detail)
                    : new GuardMachine.Interrupted(stoppedBy, detail); // the agent went away: not known to be bad
            case ABORTED -> new GuardMachine.Interrupted(stoppedBy == null ? Interruption.USER : stoppedBy, detail);
        };
    }

    /**
     * The event a host reports when the build ended and no watch step took its deploy: failed and aborted steps as
     * by {@link #deployEnd}; steps that finished deployed something nobody watched, which is in doubt (the point is
     * INTERRUPTED and the environment frozen, saying so).
     *
     * @param stoppedBy
     *         as for {@link #deployEnd}
     * @param detail
     *         one line: the result, and that no watch step ran
     * @return the event
     */
    public GuardMachine.DeployEnd unwatchedEnd(final Interruption stoppedBy, final String detail) {
        return this == FINISHED ? new GuardMachine.Interrupted(stoppedBy == null ? Interruption.OTHER : stoppedBy, detail)
                : deployEnd(stoppedBy, detail);
    }
}
