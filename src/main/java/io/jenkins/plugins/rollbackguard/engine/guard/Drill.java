package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * A rehearsal of a rollback, the same in every host (the command line's {@code drill}, the Pipeline step
 * {@code rollbackGuardDrill}): it deploys the previous good point (the way a rollback would), watches it, deploys the
 * current good point again, watches it, and reads the drill's time to restore from the ledger, where it is kept apart
 * from the incidents and the DORA figures (docs/ledger.md, "Incident figures").
 *
 * <p>Driven like the guard machine: the host asks {@link #next} what to do, carries out a {@link Deploy} as it
 * deploys (a guarded deploy run in place on the command line, a reverting build in Jenkins), and tells
 * {@link #ended} when that deploy is over. Every answer is read from the ledger: a leg is a point with
 * {@code trigger: drill}, {@value #ID} naming the drill and {@link IncidentFigures#DRILL_LEG} naming the leg, so a
 * host that restarted needs to keep only the environment, the id of the point drilled from and the drill's id.</p>
 *
 * <p>Refused ({@link GuardRefusedException}) for an environment whose name looks like production unless allowed, for a
 * frozen environment (circuit OPEN), and for one with fewer than two good points the host can deploy again (the
 * current one included: the drill ends by deploying it again).</p>
 */
public final class Drill {
    /** Point attribute: the drill a leg belongs to (the host's id of the drill, unique per drill). */
    public static final String ID = "drill.id";
    /** The {@code trigger} of a drill's points ({@link DeployRequest#trigger()}). */
    public static final String TRIGGER = "drill";
    /** Names that look like production: a drill deploys an older version there. */
    private static final Pattern PRODUCTION = Pattern.compile("(?i).*(prod|live).*");
    /** How many of an environment's newest points are searched for the good points and the legs. */
    private static final int SCAN = 1000;
    private static final String KEY = "drill:";

    private final EnvironmentName environment;
    private final String id;
    private final RollbackPoint from;
    private final RollbackPoint previous;

    private Drill(final EnvironmentName environment, final String id, final RollbackPoint from,
                  final RollbackPoint previous) {
        this.environment = environment;
        this.id = id;
        this.from = from;
        this.previous = previous;
    }

    /** The two legs of a drill. */
    public enum Leg {
        /** Deploys the previous good point: the rehearsed restore, whose time to restore is the drill's figure. */
        BACK("back"),
        /** Deploys the point drilled from again: restores nothing, counted nowhere. */
        FORWARD(IncidentFigures.FORWARD);

        private final String value;

        Leg(final String value) {
            this.value = value;
        }

        /** @return the value of {@link IncidentFigures#DRILL_LEG} on the leg's point */
        public String value() {
            return value;
        }
    }

    /**
     * Plans a drill, or refuses it.
     *
     * @param ledger
     *         the ledger
     * @param environment
     *         the environment
     * @param allowProduction
     *         whether a name that looks like production is allowed
     * @param allowHint
     *         how the host allows it ({@code --allow-production}, {@code allowProduction: true}), for the refusal
     * @param redeployable
     *         whether the host can deploy a good point again (the command line: it has a recorded deploy command;
     *         Jenkins: it was deployed by a build)
     * @param id
     *         the host's id of this drill, unique per drill
     * @return the drill
     * @throws GuardRefusedException
     *         with one sentence saying why and what to do
     */
    public static Drill plan(final Ledger ledger, final EnvironmentName environment, final boolean allowProduction,
                             final String allowHint, final Predicate<RollbackPoint> redeployable, final String id) {
        checkName(environment, allowProduction, allowHint);
        if (ledger.environments().contains(environment) && ledger.circuit(environment).isOpen()) {
            throw new GuardRefusedException("environment '%s' is frozen (circuit OPEN): reset it before a drill"
                    .formatted(environment));
        }
        RollbackPoint current = (ledger.environments().contains(environment) ? ledger.lastGood(environment)
                : Optional.<RollbackPoint>empty()).orElseThrow(() -> new GuardRefusedException(
                        "environment '%s' has no good point to drill with".formatted(environment)));
        if (!redeployable.test(current)) {
            throw new GuardRefusedException(("environment '%s' cannot be drilled from %s: this host did not deploy it, "
                    + "so the drill could not deploy it again at its end; deploy it here first").formatted(environment,
                    current.label()));
        }
        RollbackPoint previous = previousGood(ledger, current, redeployable).orElseThrow(() -> new GuardRefusedException(
                "environment '%s' needs two good points with artifacts for a drill; it has only %s"
                        .formatted(environment, current.label())));
        return new Drill(environment, id, current, previous);
    }

    /**
     * Takes up a drill planned before a restart: the ledger says how far it got.
     *
     * @param ledger
     *         the ledger
     * @param environment
     *         the environment
     * @param fromId
     *         the point drilled from ({@link #from()})
     * @param redeployable
     *         as for {@link #plan}
     * @param id
     *         the drill's id
     * @return the drill
     * @throws GuardRefusedException
     *         if the previous good point is no longer there
     */
    public static Drill resume(final Ledger ledger, final EnvironmentName environment, final long fromId,
                               final Predicate<RollbackPoint> redeployable, final String id) {
        RollbackPoint current = ledger.point(environment, fromId);
        RollbackPoint previous = previousGood(ledger, current, redeployable).orElseThrow(() -> new GuardRefusedException(
                "the drill of %s lost the previous good point it was going back to".formatted(current.label())));
        return new Drill(environment, id, current, previous);
    }

    /**
     * Refuses a name that looks like production unless allowed; reads nothing, so a host may ask it before it opens
     * the ledger.
     *
     * @param environment
     *         the environment
     * @param allowProduction
     *         whether such a name is allowed
     * @param allowHint
     *         how the host allows it
     * @throws GuardRefusedException
     *         if refused
     */
    public static void checkName(final EnvironmentName environment, final boolean allowProduction,
                                 final String allowHint) {
        if (looksLikeProduction(environment) && !allowProduction) {
            throw new GuardRefusedException(("environment '%s' looks like production: a drill deploys an older version "
                    + "there; use a staging environment or %s").formatted(environment, allowHint));
        }
    }

    /** @return whether the name looks like production ({@code prod}, {@code live} anywhere in it) */
    public static boolean looksLikeProduction(final EnvironmentName environment) {
        return PRODUCTION.matcher(environment.value()).matches();
    }

    private static Optional<RollbackPoint> previousGood(final Ledger ledger, final RollbackPoint current,
                                                        final Predicate<RollbackPoint> redeployable) {
        EnvironmentName environment = current.environment();
        for (RollbackPoint point : ledger.history(environment, 0, Math.min(SCAN, ledger.size(environment)))) {
            if (point.id() < current.id() && point.status().isRestorable() && redeployable.test(point)) {
                return Optional.of(point);
            }
        }
        return Optional.empty();
    }

    /**
     * Says what to do now, from the ledger: deploy a leg, wait for a leg in flight, or the drill's end.
     *
     * @param ledger
     *         the ledger
     * @return the next thing to do
     */
    public Next next(final Ledger ledger) {
        Optional<RollbackPoint> forward = leg(ledger, Leg.FORWARD);
        if (forward.isPresent()) {
            return after(ledger, Leg.FORWARD, forward.get());
        }
        Optional<RollbackPoint> back = leg(ledger, Leg.BACK);
        if (back.isEmpty()) {
            return deploy(Leg.BACK);
        }
        return after(ledger, Leg.BACK, back.get());
    }

    /**
     * The host's deploy of a leg is over (the guarded deploy returned, the reverting build completed): a leg that left
     * no point, or one still in flight, ends the drill; otherwise as {@link #next}.
     *
     * @param ledger
     *         the ledger
     * @param leg
     *         the leg whose deploy ended
     * @param what
     *         a few words on how it ended (a build and its result), for the explanation
     * @return the next thing to do
     */
    public Next ended(final Ledger ledger, final Leg leg, final String what) {
        Optional<RollbackPoint> point = leg(ledger, leg);
        if (point.isEmpty() || point.get().status().isInFlight()) {
            return done(ledger, leg == Leg.BACK ? Verdict.BACK_FAILED : Verdict.FORWARD_FAILED,
                    "the drill's leg %s %s ended without a verdict (%s)".formatted(words(leg), target(leg).label(), what));
        }
        return next(ledger);
    }

    private Next after(final Ledger ledger, final Leg leg, final RollbackPoint point) {
        if (point.status().isInFlight()) {
            return new Wait(leg, point);
        }
        if (leg == Leg.BACK) {
            return point.status() == PointStatus.GOOD ? deploy(Leg.FORWARD) : done(ledger, Verdict.BACK_FAILED,
                    "rolling back to the previous good point did not pass its watch: %s is %s"
                            .formatted(point.label(), point.status()));
        }
        return point.status() == PointStatus.GOOD ? done(ledger, Verdict.OK, "rolled back to %s and forward to %s, "
                .formatted(previous.label(), from.label()) + "both watched")
                : done(ledger, Verdict.FORWARD_FAILED, "rolling forward to %s did not pass its watch: %s is %s"
                        .formatted(from.label(), point.label(), point.status()));
    }

    private Deploy deploy(final Leg leg) {
        return new Deploy(leg, target(leg), "%s %s".formatted(words(leg), target(leg).label()), attributes(leg, id),
                key(leg));
    }

    private Done done(final Ledger ledger, final Verdict verdict, final String explanation) {
        RollbackPoint back = leg(ledger, Leg.BACK).orElse(null);
        RollbackPoint forward = leg(ledger, Leg.FORWARD).orElse(null);
        Incident figure = back == null ? null : ledger.incident(environment, back.id()).filter(Incident::drill)
                .orElse(null);
        return new Done(verdict, from, back, forward, figure, explanation);
    }

    /** @return the newest point of this drill's leg, if it was recorded */
    private Optional<RollbackPoint> leg(final Ledger ledger, final Leg leg) {
        for (RollbackPoint point : ledger.history(environment, 0, Math.min(SCAN, ledger.size(environment)))) {
            if (point.id() <= from.id()) {
                return Optional.empty(); // a drill's legs come after the point it drills from
            }
            if (id.equals(point.attributes().get(ID)) && TRIGGER.equals(point.attributes().get(RollbackPlanner.TRIGGER))
                    && leg.value().equals(point.attributes().get(IncidentFigures.DRILL_LEG))) {
                return Optional.of(point);
            }
        }
        return Optional.empty();
    }

    private static String words(final Leg leg) {
        return leg == Leg.BACK ? "back to" : "forward to";
    }

    /**
     * Returns the point a leg deploys.
     *
     * @param leg
     *         the leg
     * @return the previous good point for {@link Leg#BACK}, the point drilled from for {@link Leg#FORWARD}
     */
    public RollbackPoint target(final Leg leg) {
        return leg == Leg.BACK ? previous : from;
    }

    /**
     * Returns the key a host names a leg's deploy with (a reverting build's request key in Jenkins).
     *
     * @param leg
     *         the leg
     * @return {@code drill:<leg>:<id>}
     */
    public String key(final Leg leg) {
        return KEY + leg.value() + ":" + id;
    }

    /**
     * Reads a leg's key back.
     *
     * @param key
     *         a request key, or null
     * @return the leg and the drill's id, if it is a drill leg's key
     */
    public static Optional<LegKey> ofKey(final String key) {
        if (key == null || !key.startsWith(KEY)) {
            return Optional.empty();
        }
        String rest = key.substring(KEY.length());
        for (Leg leg : Leg.values()) {
            if (rest.startsWith(leg.value() + ":") && rest.length() > leg.value().length() + 1) {
                return Optional.of(new LegKey(leg, rest.substring(leg.value().length() + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns what a leg's point records beside its deploy: the leg and the drill's id.
     *
     * @param leg
     *         the leg
     * @param id
     *         the drill's id
     * @return the attributes
     */
    public static Map<String, String> attributes(final Leg leg, final String id) {
        return Map.of(IncidentFigures.DRILL_LEG, leg.value(), ID, id);
    }

    /** @return the environment */
    public EnvironmentName environment() {
        return environment;
    }

    /** @return the drill's id */
    public String id() {
        return id;
    }

    /** @return the point drilled from: the current good point, deployed again by the second leg */
    public RollbackPoint from() {
        return from;
    }

    /** @return the previous good point, deployed by the first leg */
    public RollbackPoint previous() {
        return previous;
    }

    /** What to do next: {@link Deploy}, {@link Wait} or {@link Done}. */
    public sealed interface Next permits Deploy, Wait, Done {
    }

    /**
     * Deploy a leg: a guarded deploy of the target's recorded artifacts, with {@code trigger: drill} and the attributes
     * on its point, and no revert of anything (the point it leaves stays as it is).
     *
     * @param leg
     *         the leg
     * @param target
     *         the point whose artifacts are deployed again
     * @param why
     *         a few words for the timeline
     * @param attributes
     *         what the leg's point records beside the deploy
     * @param key
     *         the key that names this leg's deploy ({@link #key})
     */
    public record Deploy(Leg leg, RollbackPoint target, String why, Map<String, String> attributes, String key)
            implements Next {
    }

    /**
     * A leg's point is in flight: wait for its deploy to end.
     *
     * @param leg
     *         the leg
     * @param point
     *         its point
     */
    public record Wait(Leg leg, RollbackPoint point) implements Next {
    }

    /**
     * The drill is over.
     *
     * @param verdict
     *         how it ended
     * @param from
     *         the point drilled from
     * @param back
     *         the first leg's point, or null if none was recorded
     * @param forward
     *         the second leg's point, or null
     * @param figure
     *         the drill as the ledger records it (its time to restore, the figure {@code metrics} counts apart from
     *         the incidents), or null when the first leg did not become GOOD
     * @param explanation
     *         one sentence
     */
    public record Done(Verdict verdict, RollbackPoint from, RollbackPoint back,
                       RollbackPoint forward, Incident figure, String explanation)
            implements Next {
        /** @return the drill's time to restore as the ledger records it, or "not recorded" */
        public String timeToRestore() {
            return figure == null ? "not recorded"
                    : figure.timeToRestore().map(IncidentFigures::human).orElse("not recorded");
        }
    }

    /** How a drill ended. */
    public enum Verdict {
        /** Both legs passed their watch. */
        OK,
        /** The rehearsed restore failed: a real rollback to that point would have failed too. */
        BACK_FAILED,
        /** The roll forward failed: the environment runs the previous point, or whatever its guard reverted to. */
        FORWARD_FAILED
    }

    /**
     * A leg named by a key.
     *
     * @param leg
     *         the leg
     * @param id
     *         the drill's id
     */
    public record LegKey(Leg leg, String id) {
    }
}
