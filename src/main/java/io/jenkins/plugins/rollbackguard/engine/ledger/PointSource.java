package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a rollback point came from: a Jenkins build (job full name and number) or a command-line run.
 *
 * @param kind
 *         JENKINS or CLI
 * @param job
 *         the Jenkins job's full name, or null
 * @param build
 *         the Jenkins build number, or 0
 * @param runId
 *         the CLI run id, or null
 * @param url
 *         a link to the build or run, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointSource(Kind kind, String job, int build, String runId, String url) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The host that recorded the point. */
    public enum Kind {
        /** A Jenkins build. */
        JENKINS,
        /** A command-line run. */
        CLI
    }

    /** Checks the values. */
    public PointSource {
        if (kind == null) {
            throw new IllegalArgumentException("source.kind: required (JENKINS or CLI)");
        }
        if (kind == Kind.JENKINS && (job == null || job.isBlank() || build <= 0)) {
            throw new IllegalArgumentException("source: a Jenkins point needs a job name and a positive build number, got job='%s' build=%d"
                    .formatted(job, build));
        }
    }

    /**
     * Names a Jenkins build.
     *
     * @param job
     *         the job's full name
     * @param build
     *         the build number
     * @return the source
     */
    public static PointSource jenkins(final String job, final int build) {
        return new PointSource(Kind.JENKINS, job, build, null, null);
    }

    /**
     * Names a command-line run.
     *
     * @param runId
     *         the run id
     * @return the source
     */
    public static PointSource cli(final String runId) {
        return new PointSource(Kind.CLI, null, 0, runId, null);
    }

    /** @return a short label: "job #12" or "cli run-id" */
    public String label() {
        return kind == Kind.JENKINS ? job + " #" + build : "cli " + (runId == null ? "" : runId);
    }
}
