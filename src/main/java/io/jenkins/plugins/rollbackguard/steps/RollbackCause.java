package io.jenkins.plugins.rollbackguard.steps;

import java.util.Objects;

import org.kohsuke.stapler.export.Exported;

import hudson.model.Cause;
import hudson.model.Run;

/**
 * Why a build runs: it reverts a bad deploy of a job to an earlier good build. Rollback Guard attaches it to the
 * reverting build it schedules; a build with this cause is watched but never reverted again.
 */
public class RollbackCause extends Cause {
    private final String badJob;
    private final int badBuild;
    private final int targetBuild;
    private final String reason;

    /**
     * Creates the cause.
     *
     * @param badJob
     *         the full name of the job whose deploy went bad
     * @param badBuild
     *         the number of the bad build
     * @param targetBuild
     *         the number of the good build that is deployed again
     * @param reason
     *         why the deploy was judged bad, e.g. the failed health check
     */
    public RollbackCause(final String badJob, final int badBuild, final int targetBuild, final String reason) {
        super();
        this.badJob = badJob;
        this.badBuild = badBuild;
        this.targetBuild = targetBuild;
        this.reason = reason == null ? "" : reason;
    }

    /**
     * Creates the cause for a bad build.
     *
     * @param bad
     *         the build whose deploy went bad
     * @param targetBuild
     *         the number of the good build of the same job that is deployed again
     * @param reason
     *         why the deploy was judged bad
     */
    public RollbackCause(final Run<?, ?> bad, final int targetBuild, final String reason) {
        this(bad.getParent().getFullName(), bad.getNumber(), targetBuild, reason);
    }

    /** @return the full name of the job whose deploy went bad */
    @Exported(visibility = 3)
    public String getBadJob() {
        return badJob;
    }

    /** @return the number of the bad build */
    @Exported(visibility = 3)
    public int getBadBuild() {
        return badBuild;
    }

    /** @return the number of the good build that is deployed again */
    @Exported(visibility = 3)
    public int getTargetBuild() {
        return targetBuild;
    }

    /** @return why the deploy was judged bad */
    @Exported(visibility = 3)
    public String getReason() {
        return reason;
    }

    @Override
    public String getShortDescription() {
        if (reason.isBlank()) {
            return Messages.RollbackCause_ShortDescription(String.valueOf(badBuild), String.valueOf(targetBuild));
        }
        return Messages.RollbackCause_ShortDescriptionWithReason(String.valueOf(badBuild),
                String.valueOf(targetBuild), reason);
    }

    /** Two causes are equal if they revert the same bad build to the same target for the same reason. */
    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        RollbackCause that = (RollbackCause) o;
        return badBuild == that.badBuild && targetBuild == that.targetBuild
                && badJob.equals(that.badJob) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(badJob, badBuild, targetBuild, reason);
    }
}
