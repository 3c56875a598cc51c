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

import io.jenkins.plugins.rollbackguard.cli.Table;
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
    static final int[] ARGO_LIMITS = {0, 1, 2, 3, 4, 6, 9};
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
        Map<Double, List<Tally>> sweep = new LinkedHashMap<>();
        Map<Double, List<Tally>> compared = new LinkedHashMap<>();
        for (int level = 0; level < rates.size(); level++) {
            List<Policy> all = new ArrayList<>(argo);
            all.addAll(others);
            List<Tally> tallies = replay(new ShopTraffic(rates.get(level)), level, all);
            sweep.put(rates.get(level), tallies.subList(0, argo.size()));
            List<Tally> side = new ArrayList<>(List.of(best(tallies.subList(0, argo.size()))));
            side.addAll(tallies.subList(argo.size(), tallies.size()));
            compared.put(rates.get(level), side);
        }
        Report report = new Report(out, compared);
        report.sweep(sweep);
        report.sideBySide();
        report.noData(noData(argo, others, compared));
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
     * The best Argo-style setting at one level: the shortest median delay among those whose false trips stay within
     * the 1% budget (more detections break a tie); when none does, the fewest false trips.
     */
    static Tally best(final List<Tally> sweep) {
        Comparator<Tally> faster = Comparator.<Tally>comparingLong(t -> t.delay(50, false))
                .thenComparing(Comparator.comparingDouble(Tally::detection).reversed());
        return sweep.stream().filter(t -> t.falseTrips() <= FALSE_TRIP_BUDGET).min(faster)
                .orElseGet(() -> sweep.stream().min(Comparator.comparingDouble(Tally::falseTrips)).orElseThrow());
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

    /** The no-data trace through each compared judge: the Argo-style one as chosen at the first level. */
    private Map<String, Policy.Outcome> noData(final List<Policy> argo, final List<Policy> others,
            final Map<Double, List<Tally>> compared) {
        Trace trace = new ShopTraffic(rates.get(0)).deploy(deploySeed(seed, 0, 0, false), false);
        Map<String, Policy.Outcome> outcomes = new LinkedHashMap<>();
        String chosen = compared.values().iterator().next().get(0).policy();
        argo.stream().filter(p -> p.name().equals(chosen)).forEach(p -> outcomes.put(p.name(), p.run(trace, true)));
        others.forEach(p -> outcomes.put(p.name(), p.run(trace, true)));
        return outcomes;
    }
}
