package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import java.io.Serial;
import java.util.Locale;
import java.util.Set;

/**
 * A Prometheus instant query ({@code /api/v1/query}). A scalar or a one-sample vector becomes the value;
 * an empty result (or NaN) is no data; several samples are an error unless an aggregation is chosen.
 *
 * @param name
 *         the probe name
 * @param url
 *         the server's base URL, e.g. {@code http://prometheus:9090}
 * @param query
 *         the PromQL expression; not needed by a rate probe ({@code judge: sequential}), which runs its
 *         {@code analysis.events} and {@code analysis.trials} queries
 * @param aggregation
 *         how several samples become one: {@code sum}, {@code avg}, {@code min}, {@code max}, {@code count};
 *         null for none
 * @param auth
 *         bearer or basic credentials by secret name, or null
 * @param timeout
 *         total timeout per query, default {@code 10s}
 * @param failIf
 *         failure threshold, or null
 * @param successIf
 *         success threshold, or null
 * @param analysis
 *         sampling and judging, defaults if null
 */
public record PrometheusProbeSpec(String name, String url, String query, String aggregation, Auth auth,
                                  String timeout, String failIf, String successIf, AnalysisSettings analysis)
        implements ProbeSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count");

    /** Fills defaults and validates. */
    public PrometheusProbeSpec {
        ProbeSpec.requireName(name);
        HttpProbeSpec.get(name, ProbeSpec.require("url", url), null, null);
        boolean rate = analysis != null && analysis.judgeKind() == JudgeKind.SEQUENTIAL;
        if (!rate) {
            ProbeSpec.require("query", query);
        }
        aggregation = aggregation == null ? null : aggregation.strip().toLowerCase(Locale.ROOT);
        if (aggregation != null && !AGGREGATIONS.contains(aggregation)) {
            throw new IllegalArgumentException(
                    "aggregation: expected sum, avg, min, max or count, got '" + aggregation + "'");
        }
        timeout = HttpProbeSpec.positiveDuration("timeout", timeout, "10s");
        analysis = analysis == null ? AnalysisSettings.defaults() : analysis;
        Thresholds.parse(name, failIf, successIf); // fields are not yet assigned here, so not thresholds()
    }

    /** @return whether it counts a rate ({@code judge: sequential}): two queries, events and trials */
    public boolean countsRate() {
        return analysis.judgeKind() == JudgeKind.SEQUENTIAL;
    }

    /**
     * Creates a query probe without auth or aggregation.
     *
     * @param name
     *         the probe name
     * @param url
     *         the server's base URL
     * @param query
     *         the PromQL expression
     * @param failIf
     *         failure threshold
     * @param analysis
     *         sampling settings
     * @return the spec
     */
    public static PrometheusProbeSpec of(final String name, final String url, final String query,
            final String failIf, final AnalysisSettings analysis) {
        return new PrometheusProbeSpec(name, url, query, null, null, null, failIf, null, analysis);
    }
}
