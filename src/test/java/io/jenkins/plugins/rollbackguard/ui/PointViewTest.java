package io.jenkins.plugins.rollbackguard.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link PointView}, the view model of the build page and the confirmation page. Plain JUnit.
 */
class PointViewTest {
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");

    @Test
    void shouldShowWindowSinceTheOldestBackup() {
        RollbackPoint target = createPoint(3, PointStatus.GOOD, "v7", List.of(
                createBackup("db", NOW.minus(Duration.ofMinutes(125)), NOW.minus(Duration.ofMinutes(120))),
                createBackup("files", NOW.minus(Duration.ofMinutes(30)), null)), Map.of());

        PointView view = new PointView(target, createPoint(5, PointStatus.BAD, "v8", List.of(), Map.of()), NOW);

        assertThat(view.getDataLossWindow()).isEqualTo("2h 5m");
        assertThat(view.getBackups()).extracting(PointView.BackupRow::getId, PointView.BackupRow::isVerified,
                PointView.BackupRow::getDataLossWindow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db", true, "2h 5m"),
                        org.assertj.core.groups.Tuple.tuple("files", false, "30m 0s"));
        assertThat(view.getBackups().get(1).getVerifiedAt()).isEmpty();
    }

    @Test
    void shouldShowTheVerdictsExplanationWithValuesInTheirUnit() {
        io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why =
                new io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation("checkout-p95",
                        io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus.FAILED,
                        "2 failures in a row exceed consecutiveFailureLimit 1", "response time of GET https://shop/",
                        "ms", "failIf rise > 50%", 210.4, 10, 912.6, 3.34, "913 ms is 333.7% above the baseline 210 ms",
                        "4 of 30 planned samples, every 10s", 4, 4, 3, null, NOW, null);
        RollbackPoint bad = createPoint(5, PointStatus.BAD, "v8", List.of(), Map.of()).toBuilder().explanation(why)
                .build();

        PointView view = new PointView(bad, bad, NOW);

        assertThat(view.getExplanation()).extracting(PointView.Row::getName).containsExactly("probe", "rule", "metric",
                "threshold", "baseline", "observed", "change", "window", "samples");
        assertThat(view.getExplanation()).extracting(PointView.Row::getValue).contains("210 ms (median of 10 samples)",
                "913 ms", "response time of GET https://shop/, in ms", "4 taken, 4 judged, 3 failed");
        assertThat(new PointView(bad, createPoint(6, PointStatus.GOOD, "v8", List.of(), Map.of()), NOW)
                .getExplanation()).hasSize(9);
        assertThat(new PointView(createPoint(3, PointStatus.GOOD, "v7", List.of(), Map.of()), bad, NOW)
                .getExplanation()).as("a point without one").isEmpty();
    }

    @Test
    void shouldWriteAStatisticalJudgesAlphaAndBetaAsTheExplanationsTextDoes() {
        io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why =
                new io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation("checkout",
                        io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus.FAILED, "rate rose",
                        "error rate", null, null, null, null, 0.04, null, null, null, 30, 30, 1, null, NOW, null)
                        .withJudge("sequential", 162, 0.0001, 0.1);
        RollbackPoint bad = createPoint(5, PointStatus.BAD, "v8", List.of(), Map.of()).toBuilder().explanation(why)
                .build();

        PointView view = new PointView(bad, bad, NOW);

        assertThat(view.getExplanation()).filteredOn(row -> row.getName().equals("judge"))
                .extracting(PointView.Row::getValue).containsExactly("sequential, sample 162, alpha 0.00010, beta 0.10");
    }

    @Test
    void shouldReportADataVersionChange() {
        PointView view = new PointView(createPoint(3, PointStatus.GOOD, "v7", List.of(), Map.of()),
                createPoint(5, PointStatus.BAD, "v8", List.of(), Map.of()), NOW);

        assertThat(view.isDataVersionDifferent()).isTrue();
        assertThat(view.getCurrentDataVersion()).isEqualTo("v8");
        assertThat(view.getCurrentId()).isEqualTo(5);
        assertThat(view.isCurrent()).isFalse();
        assertThat(view.isRestorable()).isTrue();
    }

    @Test
    void shouldNotReportAChangeWhenAVersionIsUnknown() {
        PointView view = new PointView(createPoint(3, PointStatus.GOOD, null, List.of(), Map.of()),
                createPoint(5, PointStatus.BAD, "v8", List.of(), Map.of()), NOW);

        assertThat(view.isDataVersionDifferent()).isFalse();
        assertThat(view.getDataLossWindow()).isEmpty();
    }

    @Test
    void shouldKnowWhenThePointRunsNow() {
        RollbackPoint point = createPoint(5, PointStatus.GOOD, "v8", List.of(), Map.of());

        assertThat(new PointView(point, point, NOW).isCurrent()).isTrue();
        assertThat(new PointView(point, null, NOW).isCurrent()).isFalse();
    }

    @Test
    void shouldListMeasurementsAndBaselinesByName() {
        RollbackPoint point = createPoint(2, PointStatus.GOOD, null, List.of(),
                Map.of("measurement.latency", "120ms", "baseline.error-rate", "0.01", "policy", "{}"));

        assertThat(new PointView(point, null, NOW).getMeasurements())
                .extracting(PointView.Row::getName, PointView.Row::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("error-rate (baseline)", "0.01"),
                        org.assertj.core.groups.Tuple.tuple("latency", "120ms"));
    }

    @ParameterizedTest
    @CsvSource({"GOOD, rg-badge rg-good", "ADOPTED, rg-badge rg-good", "BAD, rg-badge rg-bad",
            "REVERTED, rg-badge rg-bad", "WATCHING, rg-badge rg-running", "INCONCLUSIVE, rg-badge rg-neutral"})
    void shouldPickTheBadgeOfEachStatus(final PointStatus status, final String badge) {
        assertThat(PointView.badge(status)).isEqualTo(badge);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1536, 1.5 KiB", "1073741824, 1.0 GiB", "-5, 0 B"})
    void shouldFormatSizes(final long bytes, final String text) {
        assertThat(PointView.formatSize(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"45, 45s", "303, 5m 3s", "7500, 2h 5m", "273600, 3d 4h", "-3, 0s"})
    void shouldFormatDurations(final long seconds, final String text) {
        assertThat(PointView.formatDuration(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    private static BackupRef createBackup(final String id, final Instant taken, final Instant verified) {
        return new BackupRef(id, "postgres", "ab".repeat(32), 2048, taken, verified);
    }

    private static RollbackPoint createPoint(final long id, final PointStatus status, final String dataVersion,
            final List<BackupRef> backups, final Map<String, String> attributes) {
        return new RollbackPoint(id, PRODUCTION, PointSource.jenkins("shop", (int) id + 10), List.of(), "abc123",
                Map.of(), dataVersion, backups, status, "watch passed", 0, null, NOW.minusSeconds(3600), NOW,
                null, null, attributes, null);
    }
}
