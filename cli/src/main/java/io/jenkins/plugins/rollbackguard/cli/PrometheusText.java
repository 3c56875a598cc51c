package io.jenkins.plugins.rollbackguard.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;

/**
 * The tool's figures in the Prometheus text exposition format (version 0.0.4), for a node-exporter textfile
 * collector: no timestamps (the collector refuses them), every family with HELP and TYPE, each sample labelled
 * {@code env}. The incident figures are summaries whose quantiles (0.5: the median, 0.95: the nearest-rank p95) are
 * the ledger's ({@link IncidentFigures}); their sum and count add up the ledger's per-incident figures.
 */
final class PrometheusText {
    private final StringBuilder text = new StringBuilder();

    private PrometheusText() {
    }

    /**
     * Renders the figures.
     *
     * @param rows
     *         each environment's counts, as {@code metrics --json} gives them
     * @param figures
     *         each environment's incident figures, in the same order
     * @return the exposition text, ending with a newline
     */
    static String of(final List<MetricsCommand.Row> rows, final List<IncidentFigures> figures) {
        PrometheusText p = new PrometheusText();
        p.family("rollback_guard_deploys_total", "counter", "Guarded deploys (not adopted points, reverts or drills).");
        rows.forEach(r -> p.sample("rollback_guard_deploys_total", r.environment(), "", r.deploys()));
        p.family("rollback_guard_failed_deploys_total", "counter", "Deploys that became BAD (tripped or marked bad).");
        rows.forEach(r -> p.sample("rollback_guard_failed_deploys_total", r.environment(), "", r.failures()));
        p.family("rollback_guard_trips_total", "counter", "Points the guard judged BAD, reverts included, drills apart.");
        rows.forEach(r -> p.sample("rollback_guard_trips_total", r.environment(), "", r.trips()));
        p.family("rollback_guard_reverts_total", "counter", "Reverts started, automatic or by hand, drills apart.");
        rows.forEach(r -> p.sample("rollback_guard_reverts_total", r.environment(), "", r.reverts()));
        p.family("rollback_guard_failed_reverts_total", "counter", "Reverts that failed their watch.");
        rows.forEach(r -> p.sample("rollback_guard_failed_reverts_total", r.environment(), "", r.failedReverts()));
        p.family("rollback_guard_frozen", "gauge", "1 while the environment's circuit is OPEN (deploys refused until reset).");
        rows.forEach(r -> p.sample("rollback_guard_frozen", r.environment(), "", r.frozen() ? 1 : 0));
        p.family("rollback_guard_frozen_environments", "gauge", "Environments whose circuit is OPEN.");
        p.line("rollback_guard_frozen_environments " + rows.stream().filter(MetricsCommand.Row::frozen).count());
        p.family("rollback_guard_incidents_total", "counter", "Incidents (a deploy became BAD while it ran), drills apart.");
        rows.forEach(r -> p.sample("rollback_guard_incidents_total", r.environment(), "", r.incidents().count()));
        p.family("rollback_guard_incidents_open", "gauge", "1 while an incident is not restored.");
        rows.forEach(r -> p.sample("rollback_guard_incidents_open", r.environment(), "", r.incidents().open() == null ? 0 : 1));
        p.family("rollback_guard_incidents_over_goal_total", "counter",
                "Restored incidents whose duration exceeded the goal (rollback_guard_incident_duration_goal_seconds).");
        rows.forEach(r -> p.sample("rollback_guard_incidents_over_goal_total", r.environment(), "", r.incidents().overGoal()));
        p.family("rollback_guard_incident_duration_goal_seconds", "gauge", "The goal for an incident's duration.");
        p.line("rollback_guard_incident_duration_goal_seconds " + seconds(IncidentFigures.GOAL));
        p.summary("rollback_guard_time_to_detect_seconds", "Time to detect: bad version deployed to trip.", figures,
                IncidentFigures::incidents, Incident::timeToDetect, IncidentFigures::timeToDetect);
        p.summary("rollback_guard_time_to_restore_seconds",
                "Time to restore: trip to the restoring point's first passing samples.", figures,
                IncidentFigures::incidents, Incident::timeToRestore, IncidentFigures::timeToRestore);
        p.summary("rollback_guard_incident_duration_seconds", "Incident duration: time to detect plus time to restore.",
                figures, IncidentFigures::incidents, Incident::duration, IncidentFigures::duration);
        p.summary("rollback_guard_drill_time_to_restore_seconds", "Drills (rehearsed restores): time to restore.",
                figures, IncidentFigures::drills, Incident::timeToRestore, IncidentFigures::drillTimeToRestore);
        return p.text.toString();
    }

    private void summary(final String name, final String help, final List<IncidentFigures> all,
                         final Function<IncidentFigures, List<Incident>> of,
                         final Function<Incident, Optional<Duration>> figure,
                         final Function<IncidentFigures, IncidentFigures.Stats> stats) {
        family(name, "summary", help);
        for (IncidentFigures f : all) {
            String env = f.environment().value();
            IncidentFigures.Stats s = stats.apply(f);
            s.median().ifPresent(d -> sample(name, env, ",quantile=\"0.5\"", d));
            s.p95().ifPresent(d -> sample(name, env, ",quantile=\"0.95\"", d));
            Duration sum = of.apply(f).stream().map(figure).flatMap(Optional::stream).reduce(Duration.ZERO, Duration::plus);
            sample(name + "_sum", env, "", sum);
            sample(name + "_count", env, "", s.count());
        }
    }

    private void family(final String name, final String type, final String help) {
        line("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
        line("# TYPE " + name + " " + type);
    }

    private void sample(final String name, final String env, final String labels, final long value) {
        line("%s{env=\"%s\"%s} %d".formatted(name, escape(env), labels, value));
    }

    private void sample(final String name, final String env, final String labels, final Duration value) {
        line("%s{env=\"%s\"%s} %s".formatted(name, escape(env), labels, seconds(value)));
    }

    private void line(final String line) {
        text.append(line).append('\n');
    }

    private static String seconds(final Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0); // the ledger keeps milliseconds
    }

    /** Label values escape backslash, double quote and line feed (environment names allow none, but a reader may). */
    private static String escape(final String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
