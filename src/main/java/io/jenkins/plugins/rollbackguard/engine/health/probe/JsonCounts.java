package io.jenkins.plugins.rollbackguard.engine.health.probe;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;

/**
 * Reads a rate probe's counts ({@code judge: sequential}) from a JSON document, an HTTP answer or a command's output:
 * the numbers at the JSON pointers {@code analysis.events} and {@code analysis.trials}. A document that is no JSON,
 * or a pointer without a number, is an ERROR naming the field; a number that is not finite is NO_DATA.
 */
final class JsonCounts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonCounts() {
    }

    /** @return whether the settings ask for counts */
    static boolean wanted(final AnalysisSettings settings) {
        return settings.judgeKind() == JudgeKind.SEQUENTIAL;
    }

    /**
     * Reads the counts.
     *
     * @param at
     *         when the sample was taken
     * @param document
     *         the JSON
     * @param settings
     *         the probe's analysis, with the pointers
     * @return the counted measurement, or an error or no-data one
     */
    static Measurement read(final Instant at, final byte[] document, final AnalysisSettings settings) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        }
        catch (IOException e) {
            return Measurement.withoutValue(at, Outcome.ERROR, "the answer is not JSON: analysis.events and "
                    + "analysis.trials are JSON pointers into it");
        }
        if (root == null) {
            return Measurement.withoutValue(at, Outcome.NO_DATA, "empty answer: no counts");
        }
        double events = number(root, "analysis.events", settings.events());
        double trials = number(root, "analysis.trials", settings.trials());
        if (Double.isNaN(events) || Double.isNaN(trials)) {
            return Measurement.withoutValue(at, Outcome.ERROR, "no number at analysis.%s %s".formatted(
                    Double.isNaN(events) ? "events" : "trials", Double.isNaN(events) ? settings.events()
                            : settings.trials()));
        }
        if (Double.isInfinite(events) || Double.isInfinite(trials)) {
            return Measurement.withoutValue(at, Outcome.NO_DATA, "counts are not finite");
        }
        return Measurement.counted(at, events, trials, Measurement.countsDetail(events, trials));
    }

    private static double number(final JsonNode root, final String field, final String pointer) {
        JsonNode node;
        try {
            node = root.at(JsonPointer.compile(pointer));
        }
        catch (IllegalArgumentException e) {
            return Double.NaN;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            }
            catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
