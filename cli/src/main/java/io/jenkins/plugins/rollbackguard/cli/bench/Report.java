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
    /** The errors probe's place in every policy (payments, errors, latency). */
    static final int ERRORS = 1;
    private final PrintWriter out;
    private final Map<Double, List<Tally>> compared;
    private boolean noDataPasses;

    /**
     * Creates the report.
     *
     * @param out
     *         where to print
     * @param compared
     *         per traffic level, the best Argo-style setting first, then the other policies
     */
    Report(final PrintWriter out, final Map<Double, List<Tally>> compared) {
        this.out = out;
        this.compared = compared;
    }

    void sweep(final Map<Double, List<Tally>> sweep) {
        out.println();
        out.println("(a) sweep: the seed policy's probes and thresholds, one interval and one failureLimit for all "
                + "(false trips / detected / median delay in s; * = best at the level: shortest median delay with "
                + "false trips <= 1%)");
        List<String> header = new ArrayList<>(List.of("setting"));
        sweep.keySet().forEach(rate -> header.add(rps(rate)));
        Table table = new Table(header.toArray(String[]::new));
        int settings = sweep.values().iterator().next().size();
        for (int i = 0; i < settings; i++) {
            List<String> row = new ArrayList<>();
            for (Map.Entry<Double, List<Tally>> level : sweep.entrySet()) {
                Tally t = level.getValue().get(i);
                if (row.isEmpty()) {
                    row.add(t.policy().substring(4));
                }
                boolean best = compared.get(level.getKey()).get(0) == t;
                row.add("%s / %s / %s%s".formatted(Tally.percent(t.falseTrips()), Tally.percent(t.detection()),
                        Tally.count(t.delay(50, false)), best ? " *" : ""));
            }
            table.row(row.toArray());
        }
        table.print(out);
    }

    void sideBySide() {
        out.println();
        out.println("side by side (false trips per healthy deploy, by probe payment/error/latency; detected within the "
                + "watch; delay over all bad deploys, undetected = inf; error-rate: that probe's own delay)");
        Table table = new Table("rps", "judge", "false trips", "by probe", "detected", "delay req p50", "p95",
                "delay s p50", "p95", "error-rate req p50", "p95");
        for (Map.Entry<Double, List<Tally>> level : compared.entrySet()) {
            for (Tally t : level.getValue()) {
                table.row(rps(level.getKey()), t.policy(), Tally.percent(t.falseTrips()), byProbe(t),
                        Tally.percent(t.detection()), Tally.count(t.delay(50, true)), Tally.count(t.delay(95, true)),
                        Tally.count(t.delay(50, false)), Tally.count(t.delay(95, false)),
                        Tally.count(t.probeDelay(ERRORS, 50)), Tally.count(t.probeDelay(ERRORS, 95)));
            }
        }
        table.print(out);
    }

    private static String byProbe(final Tally t) {
        int probes = t.healthy().get(0).probeSeconds().length;
        List<String> shares = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            shares.add(Tally.percent(t.falseTrips(i)));
        }
        return String.join("/", shares);
    }

    void noData(final Map<String, Policy.Outcome> outcomes) {
        out.println();
        out.println("no-data trace (the provider answers nothing, baseline included): a deploy's verdict must not be PASSED");
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
        Optional<Double> any = compared.keySet().stream().findFirst();
        if (any.isEmpty() || find(any.get(), statistical).isEmpty()) {
            out.println("goals for " + statistical + ": not checked, the judges are not in this build");
            return;
        }
        out.println("goals for " + statistical + ":");
        for (Map.Entry<Double, List<Tally>> level : compared.entrySet()) {
            Tally c = find(level.getKey(), statistical).orElseThrow();
            Tally a = level.getValue().get(0);
            goal("false trips <= 1% per deploy at " + rps(level.getKey()), c.falseTrips() <= 0.01,
                    Tally.percent(c.falseTrips()));
            if (level.getKey() >= 10) {
                goal("detection >= 95% at " + rps(level.getKey()), c.detection() >= 0.95, Tally.percent(c.detection()));
            }
            long mine = c.probeDelay(ERRORS, 50);
            long argo = a.probeDelay(ERRORS, 50);
            goal("median delay for 1% -> 5% errors <= 150 requests and below (a)'s at " + rps(level.getKey()),
                    mine <= 150 && mine < argo, "%s requests, (a) %s with false trips %s against %s".formatted(
                            Tally.count(mine), Tally.count(argo), Tally.percent(a.falseTrips()),
                            Tally.percent(c.falseTrips())));
        }
        goal("a no-data trace never passes", !noDataPasses, noDataPasses ? "a judge passed it" : "no judge passed it");
    }

    private Optional<Tally> find(final double rate, final String policy) {
        return compared.get(rate).stream().filter(t -> t.policy().equals(policy)).findFirst();
    }

    private void goal(final String goal, final boolean holds, final String measured) {
        out.printf("  %s %s: %s%n", holds ? "HOLDS " : "MISSED", goal, measured);
    }

    private static String rps(final double rate) {
        return String.format(Locale.ROOT, rate == Math.rint(rate) ? "%.0f rps" : "%s rps", rate);
    }
}
