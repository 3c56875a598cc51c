package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Locale;

/**
 * What the result of the steps that deployed (a freestyle build's steps before the recorder) says about the deploy.
 * The boundary is UNSTABLE: an unstable build (tests failed, a quality gate warned) still ran its deploy to the end,
 * so it is watched like a successful one. A failed build is a failed deploy; an aborted build is an abort, never a
 * failed deploy (no trip, circuit unchanged, nothing reverted), and so is a build that did not run its steps
 * (NOT_BUILT): nothing was deployed to judge.
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
}
