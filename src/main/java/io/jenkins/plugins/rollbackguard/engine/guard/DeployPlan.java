package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;

/**
 * What a deploy would do, as {@code deploy --dry-run} shows it: preflight passed, the baselines sampled now, the
 * backups it would take, the data version it would record, and the revert a trip would start. Nothing of it was
 * deployed or recorded.
 *
 * @param environment
 *         the environment
 * @param nextPoint
 *         the id the point would get
 * @param baselines
 *         the baseline of each probe whose thresholds need one, by probe name
 * @param backups
 *         what each backup would take, in policy order
 * @param dataVersion
 *         the data version the point would record, or null when the policy tracks none
 * @param revert
 *         what a trip of this deploy would start
 * @param timeline
 *         preflight's and sampling's lines, in order
 * @param dataPreview
 *         the data decision a revert after this deploy would meet, read from the database and the pending migrations
 *         (the data head now and the scripts of {@code dataVersion.migrations} not applied yet), or null to derive it
 *         from the data versions
 */
public record DeployPlan(String environment, long nextPoint, Map<String, Baseline> baselines, List<String> backups,
                         String dataVersion, RevertPlan revert, List<Timeline.Entry> timeline, String dataPreview) {
    /**
     * A plan whose data decision is derived from the data versions.
     *
     * @param environment the environment @param nextPoint the id the point would get
     * @param baselines the baselines @param backups the backups it would take
     * @param dataVersion the data version @param revert what a trip would start @param timeline the lines
     */
    public DeployPlan(final String environment, final long nextPoint, final Map<String, Baseline> baselines,
                      final List<String> backups, final String dataVersion, final RevertPlan revert,
                      final List<Timeline.Entry> timeline) {
        this(environment, nextPoint, baselines, backups, dataVersion, revert, timeline, null);
    }

    /** Copies the collections. */
    public DeployPlan {
        baselines = Map.copyOf(baselines);
        backups = List.copyOf(backups);
        timeline = List.copyOf(timeline);
    }

    /** @return the plan as lines for a person, the same in every host */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Dry run of a deploy to '%s' (it would be point #%d): preflight passed; nothing was deployed or recorded"
                .formatted(environment, nextPoint));
        baselines.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> lines.add(
                "  baseline %s: %s".formatted(entry.getKey(), entry.getValue().value().isPresent()
                        ? "median %s of %d samples".formatted(Measurement.format(entry.getValue().median()),
                        entry.getValue().samples())
                        : "none (" + entry.getValue().reason() + ")")));
        if (backups.isEmpty()) {
            lines.add("  backups: none in the policy");
        }
        backups.forEach(backup -> lines.add("  backup to take: " + backup));
        lines.add("  data version: " + dataDecision());
        lines.add("  if it trips: " + (revert instanceof RevertPlan.Revert r
                ? "revert to %s%s (%s)".formatted(r.target().label(), r.dataRestore().isEmpty() ? ""
                        : ", restoring %d database backup(s) first".formatted(r.dataRestore().size()), r.reason())
                : "no automatic revert: " + ((RevertPlan.Manual) revert).reason()
                        + "; the environment would be frozen for a person"));
        return lines;
    }

    /** The data-version decision a revert would meet, said once. */
    private String dataDecision() {
        if (dataPreview != null) {
            return dataPreview;
        }
        if (dataVersion == null) {
            return "not tracked (no dataVersion in the policy): a revert does not check data compatibility";
        }
        if (!(revert instanceof RevertPlan.Revert r)) {
            return "%s (no revert target to compare with)".formatted(dataVersion);
        }
        String then = r.target().dataVersion();
        if (then == null) {
            return "%s; %s recorded none, so a revert does not compare them".formatted(dataVersion, r.target().label());
        }
        if (then.equals(dataVersion)) {
            return "%s, as at %s: a revert needs no data restore".formatted(dataVersion, r.target().label());
        }
        return "%s now, %s at %s: a revert restores the target's database backup first (allowDataRestore)"
                .formatted(dataVersion, then, r.target().label());
    }
}
