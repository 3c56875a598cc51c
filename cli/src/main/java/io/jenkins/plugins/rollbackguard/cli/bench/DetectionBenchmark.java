package io.jenkins.plugins.rollbackguard.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The replay benchmark of issue #18: healthy (A/A) and bad (A/B) deploys of a simulated shop ({@link ShopTraffic})
 * replayed through the engine's own judges, in virtual time, and their false trips, detections and detection delays
 * printed side by side. See docs/benchmarks.md.
 */
@Command(name = "detection", mixinStandardHelpOptions = true,
        description = "Replay simulated healthy and bad deploys through the judges (see docs/benchmarks.md).")
public final class DetectionBenchmark implements Callable<Integer> {
    static final int[] ARGO_INTERVALS = {10, 15, 30, 60};
    static final int[] ARGO_LIMITS = {0, 1, 2, 3, 4, 6, 9, 12, 16};
    static final String ARGO_BEST = "(a) argo-style, best per probe";
    private static final double FALSE_TRIP_BUDGET = 0.01;

    @Option(names = "--deploys", defaultValue = "1000",
            description = "Healthy and bad deploys each, per traffic level (default: ${DEFAULT-VALUE}).")
    private int deploys;

    @Option(names = "--seed", defaultValue = "20261203", description = "The simulator's seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--rates", split = ",", defaultValue = "1,10,100",
            description = "Traffic levels in requests per second (default: ${DEFAULT-VALUE}).")
    private List<Double> rates;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Model.describe(out, deploys, seed);
        List<Policy> argo = argoSweep();
        List<Policy> others = Judges.compared();
        List<Level> levels = new ArrayList<>();
        for (int level = 0; level < rates.size(); level++) {
            List<Policy> all = new ArrayList<>(argo);
            all.addAll(others);
            List<Tally> tallies = replay(new ShopTraffic(rates.get(level)), level, all);
            levels.add(Level.of(rates.get(level), tallies.subList(0, argo.size()),
                    tallies.subList(argo.size(), tallies.size())));
        }
        Report report = new Report(out, levels);
        report.sweep();
        report.sideBySide();
        report.noData(noData(argo, others, levels.get(0)));
        report.goals(Judges.STATISTICAL);
        out.printf(Locale.ROOT, "%nreplayed %,d deploys in %.1f s on %d cores%n", 2L * deploys * rates.size(),
                (System.nanoTime() - start) / 1e9, Runtime.getRuntime().availableProcessors());
        out.flush();
        return 0;
    }

    private static List<Policy> argoSweep() {
        List<Policy> sweep = new ArrayList<>();
        for (int interval : ARGO_INTERVALS) {
            for (int limit : ARGO_LIMITS) {
                sweep.add(Policy.argo(interval, limit));
            }
        }
        return sweep;
    }

    /**
     * One traffic level's figures.
     *
     * @param rate
     *         requests per second
     * @param sweep
     *         the Argo-style settings, in sweep order
     * @param choice
     *         for each probe, the sweep's best setting for it
     * @param compared
     *         the best Argo-style combination first, then the other policies
     */
    record Level(double rate, List<Tally> sweep, List<Tally> choice, List<Tally> compared) {
        static Level of(final double rate, final List<Tally> sweep, final List<Tally> others) {
            List<Tally> choice = new ArrayList<>();
            for (int p = 0; p < Policy.PROBES.size(); p++) {
                choice.add(best(sweep, p, FALSE_TRIP_BUDGET / Policy.PROBES.size()));
            }
            List<Tally> compared = new ArrayList<>(List.of(Tally.combine(ARGO_BEST, choice)));
            compared.addAll(others);
            return new Level(rate, sweep, choice, compared);
        }
    }

    /**
     * The best Argo-style setting for one probe: the shortest median delay of that probe among the settings whose
     * false trips by it stay within its budget (more detections break a tie); when none does, the fewest false trips.
     *
     * @param sweep
     *         the settings' tallies
     * @param probe
     *         the probe's place in the policy
     * @param budget
     *         the false trips allowed
     * @return the best setting's tally
     */
    static Tally best(final List<Tally> sweep, final int probe, final double budget) {
        Comparator<Tally> faster = Comparator.<Tally>comparingLong(t -> t.probeSeconds(probe, 50))
                .thenComparing(Comparator.<Tally>comparingDouble(t -> t.detection(probe)).reversed());
        return sweep.stream().filter(t -> t.falseTrips(probe) <= budget).min(faster)
                .orElseGet(() -> sweep.stream().min(Comparator.comparingDouble(t -> t.falseTrips(probe))).orElseThrow());
    }

    private List<Tally> replay(final ShopTraffic traffic, final int level, final List<Policy> policies) {
        List<List<Tally.Deploy>> healthy = replay(traffic, level, policies, false);
        List<List<Tally.Deploy>> bad = replay(traffic, level, policies, true);
        List<Tally> tallies = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            final int index = p;
            tallies.add(new Tally(policies.get(p).name(), healthy.stream().map(d -> d.get(index)).toList(),
                    bad.stream().map(d -> d.get(index)).toList()));
        }
        return tallies;
    }

    /** Replays every deploy through every policy; deploys run in parallel, each from its own seed. */
    private List<List<Tally.Deploy>> replay(final ShopTraffic traffic, final int level, final List<Policy> policies,
            final boolean bad) {
        return IntStream.range(0, deploys).parallel().mapToObj(i -> {
            Trace trace = traffic.deploy(deploySeed(seed, level, i, bad), bad);
            return policies.stream().map(p -> Tally.Deploy.of(p.run(trace, false), trace)).toList();
        }).toList();
    }

    /**
     * The seed of one deploy, from the run's seed, the level, the deploy's number and its kind.
     *
     * @param seed
     *         the run's seed
     * @param level
     *         the traffic level's place
     * @param deploy
     *         the deploy's number
     * @param bad
     *         whether it is an A/B deploy
     * @return the seed
     */
    static long deploySeed(final long seed, final int level, final int deploy, final boolean bad) {
        return new SplittableRandom(seed ^ ((long) level << 48) ^ ((long) deploy << 1) ^ (bad ? 1 : 0)).nextLong();
    }

    /** The no-data trace through each compared judge: every Argo-style setting chosen at the first level. */
    private Map<String, Policy.Outcome> noData(final List<Policy> argo, final List<Policy> others, final Level first) {
        Trace trace = new ShopTraffic(rates.get(0)).deploy(deploySeed(seed, 0, 0, false), false);
        Map<String, Policy.Outcome> outcomes = new LinkedHashMap<>();
        List<String> chosen = first.choice().stream().map(Tally::policy).toList();
        argo.stream().filter(p -> chosen.contains(p.name())).forEach(p -> outcomes.put(p.name(), p.run(trace, true)));
        others.forEach(p -> outcomes.put(p.name(), p.run(trace, true)));
        return outcomes;
    }
}
