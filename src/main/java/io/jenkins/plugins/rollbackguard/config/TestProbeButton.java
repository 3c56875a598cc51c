package io.jenkins.plugins.rollbackguard.config;

import java.util.List;
import java.util.concurrent.Executor;

import hudson.util.FormValidation;

import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * The "Test probe" button of the global configuration: samples an HTTP or Prometheus probe once, only towards hosts of
 * the allowlist (the button makes the controller send a request, so it must not become a way to reach internal
 * services), never a command, with no credentials and, for HTTP, no redirects. The caller checks the permission.
 */
final class TestProbeButton {
    private TestProbeButton() {
        // static helpers only
    }

    /**
     * Samples the probe once.
     *
     * @param patterns
     *         the allowlist's host patterns
     * @param kind
     *         {@code http} or {@code prometheus}
     * @param url
     *         the URL to sample
     * @param query
     *         the PromQL query of a Prometheus probe
     * @return the measurement, or why the probe was not sampled
     */
    static FormValidation test(final List<String> patterns, final String kind, final String url, final String query) {
        if (!new ProbeHostAllowlist(patterns).allows(url)) {
            return FormValidation.error(Messages.RollbackGuardConfiguration_TestProbe_NotAllowed(url));
        }
        ProbeSpec spec;
        try {
            spec = testProbeSpec(kind, url.trim(), query);
        }
        catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
        return sample(spec);
    }

    /** Builds the probe of the test button: HTTP or Prometheus, never a command, no auth, no redirects. */
    static ProbeSpec testProbeSpec(final String kind, final String url, final String query) {
        if ("prometheus".equals(kind)) {
            return new PrometheusProbeSpec("test", url, query, null, null, "5s", null, null, null);
        }
        if (!"http".equals(kind)) {
            throw new IllegalArgumentException(Messages.RollbackGuardConfiguration_TestProbe_Kind(kind));
        }
        return new HttpProbeSpec("test", url, "GET", null, null, null, null, null, "3s", "5s", "never", 64 * 1024,
                null, null, null);
    }

    private static FormValidation sample(final ProbeSpec spec) {
        CommandRunner noCommands = request -> {
            throw new CommandException("the Test probe button never runs commands: " + request.describe());
        };
        Executor direct = Runnable::run;
        try (SystemScheduler scheduler = new SystemScheduler(1)) {
            Measurement measurement = new ProbeFactory(SecretSource.none(), noCommands, direct, scheduler)
                    .withoutRedirects().create(spec).sample();
            String result = Messages.RollbackGuardConfiguration_TestProbe_Result(measurement.describe());
            return switch (measurement.outcome()) { // a failing sample is no green "OK"
                case SUCCESS -> FormValidation.ok(result);
                case FAILURE, INCONCLUSIVE, NO_DATA -> FormValidation.warning(result);
                case ERROR -> FormValidation.error(result);
            };
        }
        catch (RuntimeException e) {
            return FormValidation.error(Messages.RollbackGuardConfiguration_TestProbe_Failed(e.getMessage()));
        }
    }
}
