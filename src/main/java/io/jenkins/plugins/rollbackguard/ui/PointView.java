package io.jenkins.plugins.rollbackguard.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * What the build page and the confirmation page show of a rollback point, prepared so that the views hold no logic:
 * status badge, verdict, measurements, backups with their data-loss windows, and how the point compares with what
 * runs in its environment now. Jenkins-free; create one per request with
 * {@link #PointView(RollbackPoint, RollbackPoint, Instant)}.
 */
public class PointView {
    /** Attribute prefix under which a guard keeps a probe's last measurement. */
    static final String MEASUREMENT = "measurement.";

    private final RollbackPoint point;
    @CheckForNull
    private final RollbackPoint current;
    private final Instant now;

    /**
     * Prepares the view of a point.
     *
     * @param point
     *         the point shown
     * @param current
     *         the newest point of the same environment (what runs there now), or null if unknown
     * @param now
     *         the time the page is rendered, for the data-loss windows
     */
    public PointView(final RollbackPoint point, @CheckForNull final RollbackPoint current, final Instant now) {
        this.point = Objects.requireNonNull(point, "point");
        this.current = current;
        this.now = Objects.requireNonNull(now, "now");
    }

    /** @return the environment's name */
    public String getEnvironment() {
        return point.environment().value();
    }

    /** @return the point's id in its environment */
    public long getId() {
        return point.id();
    }

    /** @return the point's status, e.g. {@code GOOD} */
    public String getStatus() {
        return point.status().name();
    }

    /** @return the CSS class of the status badge: good, bad, running or neutral */
    public String getStatusBadge() {
        return badge(point.status());
    }

    /**
     * Returns the CSS class of a status badge.
     *
     * @param status
     *         the status
     * @return {@code rg-badge rg-good}, {@code rg-badge rg-bad}, {@code rg-badge rg-running} or
     *         {@code rg-badge rg-neutral}
     */
    public static String badge(final PointStatus status) {
        String kind;
        if (status.isRestorable()) {
            kind = "good";
        }
        else if (status.isFailure() || status == PointStatus.REVERTED) {
            kind = "bad";
        }
        else if (status.isInFlight()) {
            kind = "running";
        }
        else {
            kind = "neutral";
        }
        return "rg-badge rg-" + kind;
    }

    /** @return the verdict's one-line explanation, or an empty string before a verdict */
    public String getVerdict() {
        return point.verdict() == null ? "" : point.verdict();
    }

    /** @return the build or run that deployed the point, e.g. {@code shop #12} */
    public String getSource() {
        return point.source().label();
    }

    /** @return the deployed commit, or an empty string */
    public String getGitCommit() {
        return point.gitCommit() == null ? "" : point.gitCommit();
    }

    /** @return the data version the point's deploy expects, or an empty string */
    public String getDataVersion() {
        return point.dataVersion() == null ? "" : point.dataVersion();
    }

    /** @return the id of the point this one reverts, or 0 */
    public long getRevertOf() {
        return point.revertOf();
    }

    /** @return whether a revert may return to this point (GOOD or ADOPTED) */
    public boolean isRestorable() {
        return point.status().isRestorable();
    }

    /** @return whether this point is what runs in its environment now */
    public boolean isCurrent() {
        return current != null && current.id() == point.id();
    }

    /** @return the id of the newest point of the environment, or 0 if unknown */
    public long getCurrentId() {
        return current == null ? 0 : current.id();
    }

    /** @return the data version of what runs now, or an empty string */
    public String getCurrentDataVersion() {
        return current == null || current.dataVersion() == null ? "" : current.dataVersion();
    }

    /**
     * Tells whether returning to this point crosses a data-version change: both versions are known and differ, so
     * the rollback restores the point's database backup (if the policy allows) or stops for a person to decide.
     *
     * @return whether the data versions differ
     */
    public boolean isDataVersionDifferent() {
        return !getDataVersion().isEmpty() && !getCurrentDataVersion().isEmpty()
                && !getDataVersion().equals(getCurrentDataVersion());
    }

    /**
     * Returns the verdict's explanation as the ledger keeps it ({@code Ledger.explanation}), one row per part that
     * it has, values in their unit; empty for a point without one (a person's mark, an older point).
     *
     * @return the rows: rule, metric, threshold, baseline, observed, change, window, samples, and the statistical
     *         judge with its sample size, alpha and beta when one decided
     */
    public List<Row> getExplanation() {
        io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why = point.explanation();
        List<Row> rows = new ArrayList<>();
        if (why == null || why.probe() == null) {
            return rows;
        }
        io.jenkins.plugins.rollbackguard.engine.health.Metric metric =
                new io.jenkins.plugins.rollbackguard.engine.health.Metric(why.metric(), why.unit());
        rows.add(new Row("probe", why.probe() + " (" + why.status() + ")"));
        rows.add(new Row("rule", why.rule()));
        if (why.metric() != null) {
            rows.add(new Row("metric", why.metric() + (why.unit() == null || why.unit().isEmpty() ? "" : ", in " + why.unit())));
        }
        if (why.threshold() != null) {
            rows.add(new Row("threshold", why.threshold()));
        }
        if (why.baseline() != null) {
            rows.add(new Row("baseline", metric.format(why.baseline()) + (why.baselineSamples() == null ? ""
                    : " (median of %d samples)".formatted(why.baselineSamples()))));
        }
        rows.add(new Row("observed", why.observed() != null ? metric.format(why.observed())
                : "no value" + (why.detail() == null ? "" : " (" + why.detail() + ")")));
        if (why.changeText() != null) {
            rows.add(new Row("change", why.changeText()));
        }
        if (why.window() != null) {
            rows.add(new Row("window", why.window()));
        }
        rows.add(new Row("samples", "%d taken, %d judged, %d failed".formatted(why.samples(), why.judged(),
                why.failures())));
        if (why.judge() != null) { // a statistical judge decided (docs/health.md): its sample, alpha and beta
            // numbers as the explanation's text writes them (Metric.number): 0.00010, not Double's 1.0E-4; 0.10
            rows.add(new Row("judge", "%s, sample %d%s%s".formatted(why.judge(), why.sampleSize() == null ? 0
                    : why.sampleSize(), why.alpha() == null ? "" : ", alpha "
                    + io.jenkins.plugins.rollbackguard.engine.health.Metric.number(why.alpha()), why.beta() == null
                    ? "" : ", beta " + io.jenkins.plugins.rollbackguard.engine.health.Metric.number(why.beta()))));
        }
        return rows;
    }

    /** @return the probes' measurements and baselines kept on the point, by name */
    public List<Row> getMeasurements() {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> attribute : point.attributes().entrySet()) {
            String key = attribute.getKey();
            if (key.startsWith(MEASUREMENT)) {
                rows.add(new Row(key.substring(MEASUREMENT.length()), attribute.getValue()));
            }
            else if (key.startsWith(GuardSession.BASELINE)) {
                rows.add(new Row(key.substring(GuardSession.BASELINE.length()) + " (baseline)", attribute.getValue()));
            }
        }
        rows.sort((a, b) -> a.getName().compareTo(b.getName()));
        return rows;
    }

    /** @return the backups taken before the point's deploy */
    public List<BackupRow> getBackups() {
        return point.backups().stream().map(backup -> new BackupRow(backup, now)).toList();
    }

    /**
     * Returns the data-loss window of returning to this point: the time since its oldest backup was taken. Restoring
     * that backup loses whatever was written since.
     *
     * @return the window, e.g. {@code 2h 5m}, or an empty string if the point has no backup
     */
    public String getDataLossWindow() {
        return oldestBackup().map(taken -> formatDuration(Duration.between(taken, now))).orElse("");
    }

    private Optional<Instant> oldestBackup() {
        return point.backups().stream().map(BackupRef::takenAt).min(Instant::compareTo);
    }

    /**
     * Formats a size in bytes for people.
     *
     * @param bytes
     *         the size; negative sizes are shown as 0
     * @return e.g. {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 GiB}
     */
    public static String formatSize(final long bytes) {
        if (bytes < 1024) {
            return Math.max(0, bytes) + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * Formats a duration for people, at most two units.
     *
     * @param duration
     *         the duration; negative durations are shown as 0s
     * @return e.g. {@code 45s}, {@code 5m 3s}, {@code 2h 5m}, {@code 3d 4h}
     */
    public static String formatDuration(final Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m " + secs + "s";
        }
        return secs + "s";
    }

    /** A name and a value. */
    public static final class Row {
        private final String name;
        private final String value;

        Row(final String name, final String value) {
            this.name = name;
            this.value = value == null ? "" : value;
        }

        /** @return the name */
        public String getName() {
            return name;
        }

        /** @return the value */
        public String getValue() {
            return value;
        }
    }

    /** One backup of the point, formatted. */
    public static final class BackupRow {
        private final BackupRef backup;
        private final Instant now;

        BackupRow(final BackupRef backup, final Instant now) {
            this.backup = backup;
            this.now = now;
        }

        /** @return the backup's id in the backup store */
        public String getId() {
            return backup.id();
        }

        /** @return files, postgres, mysql or command */
        public String getKind() {
            return backup.kind() == null ? "" : backup.kind();
        }

        /** @return the size, formatted */
        public String getSize() {
            return formatSize(backup.size());
        }

        /** @return the size in bytes */
        public long getBytes() {
            return backup.size();
        }

        /** @return when the backup was taken, ISO-8601 */
        public String getTakenAt() {
            return backup.takenAt().toString();
        }

        /** @return whether the backup was verified */
        public boolean isVerified() {
            return backup.verifiedAt() != null;
        }

        /** @return when it was last verified, ISO-8601, or an empty string if never */
        public String getVerifiedAt() {
            return backup.verifiedAt() == null ? "" : backup.verifiedAt().toString();
        }

        /** @return the time since the backup was taken: what a restore of it loses */
        public String getDataLossWindow() {
            return formatDuration(Duration.between(backup.takenAt(), now));
        }
    }
}
