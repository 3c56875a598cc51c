package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;

/** Prints the last lines of a guarded deploy. */
final class Summary {
    private Summary() {
    }

    /** @return the circuit of an environment, or null when the ledger has no such environment yet */
    static Circuit circuitOf(final io.jenkins.plugins.rollbackguard.engine.ledger.Ledger ledger,
                             final io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName environment) {
        return ledger.environments().contains(environment) ? ledger.circuit(environment) : null;
    }

    static void print(final PrintWriter out, final GuardOutcome outcome) {
        print(out, outcome, null);
    }

    /**
     * Prints the outcome and, when known, the circuit as it stands: "frozen" only when it is OPEN (a manual decision
     * asked for by a rollback leaves a closed circuit closed).
     */
    static void print(final PrintWriter out, final GuardOutcome outcome, final Circuit circuit) {
        boolean notFrozen = outcome.result() == GuardOutcome.Result.FROZEN && circuit != null && !circuit.isOpen();
        out.printf("%nresult: %s - %s%n", notFrozen ? "MANUAL DECISION NEEDED" : outcome.result(), outcome.explanation());
        out.printf("point:  %s is %s%n", outcome.point().label(), outcome.point().status());
        if (outcome.revert() != null) {
            out.printf("revert: %s is %s - %s%n", outcome.revert().point().label(), outcome.revert().point().status(),
                    outcome.revert().explanation());
        }
        if (circuit != null) {
            out.printf("circuit: %s%n", circuit.isOpen() ? "OPEN since %s by %s (frozen: deploys are refused until "
                    .formatted(circuit.since(), circuit.by()) + "rollback-guard reset)" : "CLOSED (not frozen)");
        }
        out.flush();
    }
}
