package io.jenkins.plugins.rollbackguard.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.rollbackguard.cli.Table;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/** Prints the replay benchmark's tables and checks its goals. */
final class Report {
    /** The errors probe's place in every policy. */
    static final int ERRORS = Policy.PROBES.indexOf(Policy.ERRORS);
    private final PrintWriter out;
    private final List<DetectionBenchmark.Level> levels;
    private boolean noDataPasses;

    /**
     * Creates the report.
     *
     * @param out
     *         where to print
     * @param levels
     *         the figures of each traffic level
     */
    Report(final PrintWriter out, final List<DetectionBenchmark.Level> levels) {
        this.out = out;
        this.levels = levels;
    }

    void sweep() {
        out.println();
        out.println("(a) sweep: the seed policy's probes, queries and thresholds, with one interval and one failureLimit "
                + "(Argo Rollouts' counting rule); per probe: its false trips / its detections / its median delay in s;"
                + " * = best for the probe at the level: shortest median delay with its false trips <= 1%/3");
        for (int p = 0; p < Policy.PROBES.size(); p++) {
            out.println(Policy.PROBES.get(p) + ":");
            List<String> header = new ArrayList<>(List.of("setting"));
            levels.forEach(level -> header.add(rps(level.rate())));
            Table table = new Table(header.toArray(String[]::new));
            for (int i = 0; i < levels.get(0).sweep().size(); i++) {
                List<String> row = new ArrayList<>(List.of(levels.get(0).sweep().get(i).policy().substring(4)));
                for (DetectionBenchmark.Level level : levels) {
                    Tally t = level.sweep().get(i);
                    row.add("%s / %s / %s%s".formatted(Tally.percent(t.falseTrips(p)), Tally.percent(t.detection(p)),
                            Tally.count(t.probeSeconds(p, 50)), level.choice().get(p) == t ? " *" : ""));
                }
                table.row(row.toArray());
            }
            table.print(out);
        }
    }

    void sideBySide() {
        out.println();
        for (DetectionBenchmark.Level level : levels) {
            List<String> chosen = new ArrayList<>();
            for (int p = 0; p < Policy.PROBES.size(); p++) {
                chosen.add(Policy.PROBES.get(p) + " " + level.choice().get(p).policy().substring(9));
            }
            out.printf("(a) at %s: %s%n", rps(level.rate()), String.join("; ", chosen));
        }
        out.println("side by side: false trips per healthy deploy (by probe: payment/error/latency), detected within the "
                + "watch (by probe), delay over all bad deploys (undetected = inf), and the error-rate probe's own delay");
        Table table = new Table("rps", "judge", "false trips", "by probe", "detected", "by probe", "delay req p50", "p95",
                "delay s p50", "p95", "error-rate req p50", "p95");
        for (DetectionBenchmark.Level level : levels) {
            for (Tally t : level.compared()) {
                table.row(rps(level.rate()), t.policy(), Tally.percent(t.falseTrips()), byProbe(t),
                        Tally.percent(t.detection()), detectedByProbe(t), Tally.count(t.delay(50, true)), Tally.count(t.delay(95, true)),
                        Tally.count(t.delay(50, false)), Tally.count(t.delay(95, false)),
                        Tally.count(t.probeDelay(ERRORS, 50)), Tally.count(t.probeDelay(ERRORS, 95)));
            }
        }
        table.print(out);
    }

    private static String byProbe(final Tally t) {
        List<String> shares = new ArrayList<>();
        for (int i = 0; i < Policy.PROBES.size(); i++) {
            shares.add(Tally.percent(t.falseTrips(i)));
        }
        return String.join("/", shares);
    }

    private static String detectedByProbe(final Tally t) {
        List<String> shares = new ArrayList<>();
        for (int i = 0; i < Policy.PROBES.size(); i++) {
            shares.add(Tally.percent(t.detection(i)));
        }
        return String.join("/", shares);
    }

    void noData(final Map<String, Policy.Outcome> outcomes) {
        out.println();
        out.println("no-data trace (the provider answers nothing, baseline included): a deploy's verdict must not be "
                + "PASSED");
        Table table = new Table("judge", "verdict", "probes");
        for (Map.Entry<String, Policy.Outcome> judge : outcomes.entrySet()) {
            VerdictStatus status = judge.getValue().status();
            noDataPasses |= status == VerdictStatus.PASSED;
            table.row(judge.getKey(), status, String.join(", ", judge.getValue().runs().stream()
                    .map(r -> r.probe() + " " + r.status()).toList()));
        }
        table.print(out);
    }

    void goals(final String statistical) {
        out.println();
        if (find(levels.get(0), statistical).isEmpty()) {
            out.println("goals for " + statistical + ": not checked, the judges are not in this build");
            return;
        }
        out.println("goals for " + statistical + ":");
        for (DetectionBenchmark.Level level : levels) {
            Tally c = find(level, statistical).orElseThrow();
            goal("false trips <= 1% per deploy at " + rps(level.rate()), c.falseTrips() <= 0.01,
                    Tally.percent(c.falseTrips()));
            if (level.rate() >= 10) {
                goal("detection >= 95% at " + rps(level.rate()), c.detection() >= 0.95, Tally.percent(c.detection()));
            }
            errorsGoal(level, c);
        }
        goal("a no-data trace never passes", !noDataPasses, noDataPasses ? "a judge passed it" : "no judge passed it");
    }

    /**
     * The error-rate probe's median delay against 150 requests and against the Argo-style setting of that probe
     * that is fastest among those with at most the same false trips by it.
     */
    private void errorsGoal(final DetectionBenchmark.Level level, final Tally c) {
        long mine = c.probeDelay(ERRORS, 50);
        Tally argo = DetectionBenchmark.best(level.sweep(), ERRORS, c.falseTrips(ERRORS));
        long theirs = argo.probeDelay(ERRORS, 50);
        goal("median delay for 1% -> 5% errors <= 150 requests at " + rps(level.rate()), mine <= 150,
                Tally.count(mine) + " requests");
        goal("median delay for 1% -> 5% errors below (a)'s at an equal false-trip rate at " + rps(level.rate()),
                mine < theirs, "%s requests with error-rate false trips %s; (a) %s: %s requests with %s".formatted(
                        Tally.count(mine), Tally.percent(c.falseTrips(ERRORS)), argo.policy().substring(4),
                        Tally.count(theirs), Tally.percent(argo.falseTrips(ERRORS))));
    }

    private static Optional<Tally> find(final DetectionBenchmark.Level level, final String policy) {
        return level.compared().stream().filter(t -> t.policy().equals(policy)).findFirst();
    }

    private void goal(final String goal, final boolean holds, final String measured) {
        out.printf("  %s %s: %s%n", holds ? "HOLDS " : "MISSED", goal, measured);
    }

    private static String rps(final double rate) {
        return rate == Math.rint(rate) ? String.format(Locale.ROOT, "%.0f rps", rate) : rate + " rps";
    }
}
