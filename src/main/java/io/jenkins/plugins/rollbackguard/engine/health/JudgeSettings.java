package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.judge.AlphaBudget;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Effect;
import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;
import io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge;
import io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge;

/**
 * Checks the statistical judges' settings of {@link AnalysisSettings} together, and builds a probe's judge from
 * them. Each refusal is one sentence naming the field, the value and the fix.
 */
final class JudgeSettings {
    private JudgeSettings() {
    }

    @SuppressWarnings("checkstyle:ParameterNumber") // the settings checked together
    static void check(final JudgeKind kind, final String effect, final Double alpha, final Double beta,
            final Double allowedRate, final String events, final String trials, final Boolean counters) {
        if (kind == JudgeKind.THRESHOLD) {
            onlyFor("analysis.effect", effect, "sequential or mann-whitney");
            onlyFor("analysis.alpha", alpha, "sequential or mann-whitney");
        }
        if (kind != JudgeKind.SEQUENTIAL) {
            onlyFor("analysis.beta", beta, "sequential");
            onlyFor("analysis.allowedRate", allowedRate, "sequential");
            onlyFor("analysis.events", events, "sequential");
            onlyFor("analysis.trials", trials, "sequential");
            onlyFor("analysis.counters", counters, "sequential");
        }
        Effect parsed = effect == null || effect.isBlank() ? null : Effect.parse(effect);
        AlphaBudget.probability("analysis.alpha", alpha, AlphaBudget.DEFAULT_ALPHA);
        AlphaBudget.probability("analysis.beta", beta, AlphaBudget.DEFAULT_BETA);
        if (kind == JudgeKind.SEQUENTIAL) {
            new SequentialRateJudge.Settings(parsed, AlphaBudget.DEFAULT_ALPHA, AlphaBudget.DEFAULT_BETA, allowedRate);
            for (String[] field : new String[][] {{"analysis.events", events}, {"analysis.trials", trials}}) {
                if (field[1] == null || field[1].isBlank()) {
                    throw new IllegalArgumentException(field[0] + ": judge: sequential counts events out of trials; "
                            + "give analysis.events and analysis.trials (PromQL queries for a Prometheus probe, JSON "
                            + "pointers such as /errors for an HTTP or command probe)");
                }
            }
        }
        if (kind == JudgeKind.MANN_WHITNEY) {
            new MannWhitneyJudge.Settings(parsed, AlphaBudget.DEFAULT_ALPHA, MannWhitneyJudge.DEFAULT_MIN_SAMPLES,
                    MannWhitneyJudge.DEFAULT_MIN_BASELINE, 1);
        }
    }

    private static void onlyFor(final String field, final Object value, final String judges) {
        if (value != null && !(value instanceof String text && text.isBlank()) && !Boolean.FALSE.equals(value)) {
            throw new IllegalArgumentException(("%s: '%s' is read only by judge: %s; add 'judge: %s' to the analysis "
                    + "or remove %s").formatted(field, value, judges, judges.split(" ")[0], field));
        }
    }

}
