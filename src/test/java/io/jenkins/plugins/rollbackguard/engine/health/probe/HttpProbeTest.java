package io.jenkins.plugins.rollbackguard.engine.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tests the HTTP probe against a real local server with injected faults. Documented classification:
 * 500, refused, hang and too slow are FAILUREs; garbage where a JSON number is expected is an ERROR;
 * a 100 MiB body is cut off at 1 MiB and still judged by its status.
 */
class HttpProbeTest {
    private static final String TOKEN = "s3cr3t-token-value";

    @Test
    void shouldClassifyEveryFaultWithoutLeakingThreads() throws Exception {
        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(() -> { }); // its one JDK thread lives forever
        int before = Thread.activeCount();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.of(Map.of("TOKEN", TOKEN)), new LocalCommandRunner(),
                    executor, clock);
            String url = server.url();

            assertThat(sample(factory, spec(url + "/ok", null, "1s"))).satisfies(m -> {
                assertThat(m.outcome()).isEqualTo(Outcome.SUCCESS);
                assertThat(m.optionalValue()).isPresent();
            });
            assertThat(sample(factory, spec(url + "/slow", null, "2s")).value()).isGreaterThanOrEqualTo(300);
            assertFailure(sample(factory, spec(url + "/slow", null, "100ms")), "no answer within 100ms");
            assertFailure(sample(factory, spec(url + "/error", null, "1s")), "status 500, expected 2xx");
            assertFailure(sample(factory, spec("http://127.0.0.1:" + FaultyHttpServer.refusedPort() + "/", null,
                    "1s")), "connection refused");
            long start = System.nanoTime();
            assertFailure(sample(factory, spec(url + "/hang", null, "1s")), "no answer within 1s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(sample(factory, spec(url + "/garbage", "/rate", "1s"))).satisfies(m -> {
                assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(m.detail()).isEqualTo("body is not JSON");
            });
            Measurement huge = sample(factory, spec(url + "/huge", null, "10s"));
            assertThat(huge.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(huge.detail()).endsWith("body cut off at 1048576 bytes");
        }
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            System.gc(); // the HTTP client's selector thread ends once the client is unreachable
            assertThat(Thread.activeCount()).as("threads before %d", before).isLessThanOrEqualTo(before);
        });
    }

    @Test
    void shouldReadANumberByJsonPointerAndMatchBodies() throws Exception {
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = factory(clock);
            assertThat(sample(factory, spec(server.url() + "/json", "/rate", "1s")).value()).isEqualTo(0.97);
            assertThat(sample(factory, spec(server.url() + "/json", "/name", "1s")).outcome()).isEqualTo(Outcome.ERROR);
            HttpProbeSpec match = new HttpProbeSpec("m", server.url() + "/ok", null, null, null, null, "^o+k$", null,
                    null, null, null, null, null, null, null);
            assertThat(sample(factory, match).outcome()).isEqualTo(Outcome.SUCCESS);
            HttpProbeSpec miss = new HttpProbeSpec("m", server.url() + "/ok", null, null, null, null, "healthy", null,
                    null, null, null, null, null, null, null);
            assertFailure(sample(factory, miss), "body does not match 'healthy'");
        }
    }

    @Test
    void shouldCountARateAtTwoJsonPointers() throws Exception {
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = factory(clock);
            Measurement counted = sample(factory, rate(server.url() + "/counts", "/errors", "/http/requests"));
            assertThat(counted.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(counted.events()).isEqualTo(3);
            assertThat(counted.trials()).as("a number written as text counts too").isEqualTo(412);
            assertThat(counted.value()).isEqualTo(3.0 / 412);
            assertThat(counted.detail()).isEqualTo("3 of 412");
            Measurement missing = sample(factory, rate(server.url() + "/counts", "/errors", "/requests"));
            assertThat(missing.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(missing.detail()).isEqualTo("no number at analysis.trials /requests");
            Measurement garbage = sample(factory, rate(server.url() + "/garbage", "/errors", "/requests"));
            assertThat(garbage.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(garbage.detail()).startsWith("the answer is not JSON");
        }
    }

    private static HttpProbeSpec rate(final String url, final String events, final String trials) {
        return new HttpProbeSpec("web", url, null, null, null, null, null, null, "1s", "1s", null, null, null, null,
                AnalysisSettings.builder().judge("sequential").events(events).trials(trials).build());
    }

    @Test
    void shouldFollowRedirectsPerPolicyAndAcceptStatusSets() throws Exception {
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = factory(clock);
            assertThat(sample(factory, redirect(server, "normal", null)).outcome()).isEqualTo(Outcome.SUCCESS);
            assertFailure(sample(factory, redirect(server, "never", null)), "status 302, expected 2xx");
            assertThat(sample(factory, redirect(server, "never", "200,302")).outcome()).isEqualTo(Outcome.SUCCESS);
        }
    }

    /** The evidence of a trip keeps each probe's last answer: its status and the first 4 KiB of its body. */
    @Test
    void shouldKeepTheLastResponseCapped() throws Exception {
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = factory(clock);
            Probe error = factory.create(spec(server.url() + "/error", null, "1s"));
            assertThat(error.lastResponse()).isEmpty();
            error.sample();
            assertThat(error.lastResponse().orElseThrow()).contains("status 500").contains("internal error")
                    .doesNotContain("cut");

            Probe huge = factory.create(spec(server.url() + "/huge", null, "10s"));
            huge.sample();
            String last = huge.lastResponse().orElseThrow();
            assertThat(last).contains("status 200").contains("[body cut at 4096 bytes]");
            assertThat(last.length()).isLessThan(4096 + 300);

            Probe refused = factory.create(spec("http://127.0.0.1:" + FaultyHttpServer.refusedPort() + "/", null, "1s"));
            refused.sample();
            assertThat(refused.lastResponse().orElseThrow()).contains("no answer: connection refused");
        }
    }

    @Test
    void shouldSendTheBearerTokenButNeverShowIt() throws Exception {
        try (FaultyHttpServer server = new FaultyHttpServer(); SystemScheduler clock = new SystemScheduler(1)) {
            HttpProbeSpec spec = new HttpProbeSpec("auth", server.url() + "/error", null, Map.of("X-Probe", "1"),
                    Auth.bearer("TOKEN"), null, null, null, null, null, null, null, null, null, null);
            Measurement m = sample(factory(clock), spec);

            assertThat(server.lastAuthorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(m.detail()).doesNotContain(TOKEN);
        }
    }

    private static HttpProbeSpec redirect(final FaultyHttpServer server, final String policy, final String status) {
        return new HttpProbeSpec("r", server.url() + "/redirect", null, null, null, status, null, null, null, "1s",
                policy, null, null, null, null);
    }

    private static ProbeFactory factory(final SystemScheduler clock) {
        return new ProbeFactory(SecretSource.of(Map.of("TOKEN", TOKEN)), new LocalCommandRunner(),
                Runnable::run, clock);
    }

    private static HttpProbeSpec spec(final String url, final String pointer, final String timeout) {
        return new HttpProbeSpec("web", url, null, null, null, null, null, pointer, "1s", timeout, null, null, null,
                null, AnalysisSettings.defaults());
    }

    private static Measurement sample(final ProbeFactory factory, final HttpProbeSpec spec) {
        return factory.create(spec).sample();
    }

    private static void assertFailure(final Measurement m, final String detail) {
        assertThat(m.outcome()).as(m.describe()).isEqualTo(Outcome.FAILURE);
        assertThat(m.detail()).isEqualTo(detail);
    }
}
