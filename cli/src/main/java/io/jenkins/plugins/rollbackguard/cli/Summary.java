package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;

/** Prints the last lines of a guarded deploy. */
final class Summary {
    private Summary() {
    }

    static void print(final PrintWriter out, final GuardOutcome outcome) {
        out.printf("%nresult: %s - %s%n", outcome.result(), outcome.explanation());
        out.printf("point:  %s is %s%n", outcome.point().label(), outcome.point().status());
        if (outcome.revert() != null) {
            out.printf("revert: %s is %s - %s%n", outcome.revert().point().label(), outcome.revert().point().status(),
                    outcome.revert().explanation());
        }
        out.flush();
    }
}
