package io.jenkins.plugins.rollbackguard.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The one JSON object {@code deploy --json} and {@code rollback --json} end with (on standard output; the live
 * timeline goes to standard error then). The incident figures are the ledger's ({@code Ledger.incident}).
 *
 * @param command
 *         deploy or rollback
 * @param outcome
 *         the guard's result (GOOD, REVERTED, REVERT_FAILED, FROZEN, ...)
 * @param exitCode
 *         the exit code the command ends with
 * @param environment
 *         the environment
 * @param summary
 *         the outcome's line, masked
 * @param point
 *         the deployed point (for a rollback: the point left), as it stands in the ledger now
 * @param revert
 *         the revert's point, or null when none ran
 * @param lastGood
 *         the environment's last good point now, or null
 * @param circuit
 *         the circuit now
 * @param frozen
 *         whether the circuit is OPEN
 * @param incident
 *         the incident the point opened or ended (time to detect, time to restore, incident duration), or null
 * @param explanation
 *         why the point was judged as it was, see {@link #explanation}
 */
record FinalReport(String command, String outcome, int exitCode, String environment, String summary,
                   StatusCommand.PointRef point, StatusCommand.PointRef revert, StatusCommand.PointRef lastGood,
                   Circuit circuit, boolean frozen, Incident.Report incident, Map<String, Object> explanation) {
    static FinalReport of(final String command, final GuardOutcome outcome, final Ledger ledger, final int exitCode) {
        EnvironmentName env = outcome.point().environment();
        RollbackPoint point = ledger.point(env, outcome.point().id()); // as it stands: REVERTED after its revert
        RollbackPoint revert = outcome.revert() == null ? null : ledger.point(env, outcome.revert().point().id());
        Circuit circuit = ledger.circuit(env);
        Incident incident = ledger.incident(env, point.id()).filter(i -> !i.drill()).orElse(null);
        return new FinalReport(command, outcome.result().name(), exitCode, env.value(), outcome.explanation(),
                StatusCommand.PointRef.of(point), StatusCommand.PointRef.of(revert),
                StatusCommand.PointRef.of(ledger.lastGood(env).orElse(null)), circuit, circuit.isOpen(),
                incident == null ? null : incident.report(env), explanation(point, incident));
    }

    /**
     * The verdict's explanation: the point judged, its status and verdict line, then the ledger's explanation record
     * written once with the verdict (probe, rule, metric, unit, threshold, baseline, observed value, change, window,
     * sample size; {@code Ledger.explanation}), when the point has one (a point a person marked has none), and for an
     * incident when it was detected.
     */
    static Map<String, Object> explanation(final RollbackPoint judged, final Incident incident) {
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("point", judged.id());
        explanation.put("status", judged.status().name());
        explanation.put("verdict", judged.verdict());
        if (judged.explanation() != null) {
            Map<String, Object> record = Json.fields(judged.explanation());
            record.put("verdictStatus", record.remove("status")); // the probe's verdict, apart from the point's status
            explanation.putAll(record);
        }
        if (incident != null) {
            explanation.put("detectedAt", incident.detectedAt());
        }
        return explanation;
    }
}
