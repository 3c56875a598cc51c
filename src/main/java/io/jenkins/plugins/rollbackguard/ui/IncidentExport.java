package io.jenkins.plugins.rollbackguard.ui;

import java.time.Instant;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;

/**
 * One incident's figures as the build page, the environments page and {@code /api/json} show them: the ledger's
 * ({@code Ledger.incident}, docs/ledger.md "Incident figures"), never computed here; milliseconds beside the printed
 * form, the same fields as the command line's {@code --json} ({@link Incident.Report}).
 */
@ExportedBean(defaultVisibility = 3)
public final class IncidentExport {
    private final Incident.Report report;

    IncidentExport(final Incident.Report report) {
        this.report = report;
    }

    /** @return the point that became BAD */
    @Exported
    public long getPoint() {
        return report.point();
    }

    /** @return the point that restored the environment, or 0 while open */
    @Exported
    public long getRestoredBy() {
        return report.restoredBy() == null ? 0 : report.restoredBy();
    }

    /** @return whether the environment is not restored yet */
    @Exported
    public boolean isOpen() {
        return report.open();
    }

    /** @return when the bad version was deployed, ISO-8601, or an empty string */
    @Exported
    public String getDeployedAt() {
        return text(report.deployedAt());
    }

    /** @return when it became BAD, ISO-8601 */
    @Exported
    public String getDetectedAt() {
        return text(report.detectedAt());
    }

    /** @return when the restoring point had passed a first sample of each probe, ISO-8601, or an empty string */
    @Exported
    public String getRestoredAt() {
        return text(report.restoredAt());
    }

    /** @return time to detect in milliseconds, or null */
    @Exported
    @CheckForNull
    public Long getTimeToDetectMs() {
        return report.timeToDetectMs();
    }

    /** @return time to restore in milliseconds, or null while open */
    @Exported
    @CheckForNull
    public Long getTimeToRestoreMs() {
        return report.timeToRestoreMs();
    }

    /** @return incident duration in milliseconds, or null while open */
    @Exported
    @CheckForNull
    public Long getDurationMs() {
        return report.durationMs();
    }

    /** @return time to detect as printed, e.g. {@code 3.1 s}, or an empty string */
    @Exported
    public String getTimeToDetect() {
        return report.timeToDetect() == null ? "" : report.timeToDetect();
    }

    /** @return time to restore as printed, or an empty string while open */
    @Exported
    public String getTimeToRestore() {
        return report.timeToRestore() == null ? "" : report.timeToRestore();
    }

    /** @return incident duration as printed, or an empty string while open */
    @Exported
    public String getDuration() {
        return report.duration() == null ? "" : report.duration();
    }

    private static String text(@CheckForNull final Instant at) {
        return at == null ? "" : at.toString();
    }
}
