package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A probe for virtual-time tests that replays a script: a number is a successful sample with that
 * value; {@code F} a failure, {@code E} a provider error, {@code N} no data. The last step repeats.
 */
final class ScriptedProbe implements Probe {
    private final String name;
    private final Scheduler clock;
    private final List<String> script;
    private final List<Instant> times = new ArrayList<>();

    ScriptedProbe(final String name, final Scheduler clock, final String... script) {
        this.name = name;
        this.clock = clock;
        this.script = List.of(script);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Measurement sample() {
        Instant now = clock.now();
        String step = script.get(Math.min(times.size(), script.size() - 1));
        times.add(now);
        return switch (step) {
            case "F" -> Measurement.withoutValue(now, Outcome.FAILURE, "scripted failure");
            case "E" -> Measurement.withoutValue(now, Outcome.ERROR, "scripted error");
            case "N" -> Measurement.withoutValue(now, Outcome.NO_DATA, "scripted no data");
            default -> step.contains("/") ? counted(now, step) // "3/412": counter readings, as a rate probe gives them
                    : Measurement.of(now, Double.parseDouble(step), Outcome.SUCCESS, "scripted");
        };
    }

    private static Measurement counted(final Instant now, final String step) {
        String[] parts = step.split("/");
        double events = Double.parseDouble(parts[0]);
        double trials = Double.parseDouble(parts[1]);
        return Measurement.counted(now, events, trials, Measurement.countsDetail(events, trials));
    }

    /** @return when each sample was taken */
    synchronized List<Instant> times() {
        return List.copyOf(times);
    }
}
