package io.jenkins.plugins.rollbackguard.config;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hudson.Util;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the "Test probe" button of {@link RollbackGuardConfiguration}: administrators only, allowlisted hosts only,
 * HTTP and Prometheus only, no redirects, and the sample it reports is the real answer of the target (its outcome
 * and status). The target is a real local HTTP server that counts the requests it gets, so that a refusal is seen to
 * happen before any request is sent.
 *
 * <p>A successful sample is an {@link FormValidation.Kind#OK}, a failing one a {@link FormValidation.Kind#WARNING}
 * (the button worked, the target did not answer well); the message says {@code SUCCESS} or {@code FAILURE} and names
 * the status. A refusal (no permission, host not allowed, wrong kind) is an {@link FormValidation.Kind#ERROR}.</p>
 */
@WithJenkins
class TestProbeITest {
    /** The latency in ms as {@code Measurement.format} writes it: an integer or up to 4 decimals. */
    private static final String LATENCY = "\\d+(?:\\.\\d{1,4})?";
    /**
     * The latency in ms as the HTTP probe's detail says it, for people ({@code Metric.number}: 3.46, 24.8, 120): since
     * 2026-12-02 not the same digits as the value, so the message is matched without a back reference.
     */
    private static final String LATENCY_FOR_PEOPLE = "\\d+(?:\\.\\d+)?";

    @Test
    void shouldReportTheStatusOfAnAllowlistedHostToAdministratorsOnly(final JenkinsRule j) throws Exception {
        secure(j);
        try (StatusServer server = new StatusServer()) {
            RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
            config.setProbeHostAllowlist(server.hostAndPort());

            FormValidation forbidden = as("bob", () -> config.doTestProbe("http", server.url("/ok"), ""));

            assertThat(forbidden.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(forbidden.getMessage()).isEqualTo("Only administrators may test probes.");
            assertThat(server.requests()).as("a user who may not administer makes no request").isZero();

            FormValidation ok = as("admin", () -> config.doTestProbe("http", server.url("/ok"), ""));

            assertThat(ok.kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(ok.getMessage())
                    .matches("Sampled once: SUCCESS value=" + LATENCY + " \\(status 200 in " + LATENCY_FOR_PEOPLE
                            + " ms\\)");
            assertThat(server.requests("/ok")).isEqualTo(1);
        }
    }

    @Test
    void shouldReportAFailedSampleWithTheStatusTheTargetAnswered(final JenkinsRule j) throws Exception {
        secure(j);
        try (StatusServer server = new StatusServer()) {
            RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
            config.setProbeHostAllowlist(server.hostAndPort());

            FormValidation forbidden = as("admin", () -> config.doTestProbe("http", server.url("/forbidden"), ""));
            FormValidation error = as("admin", () -> config.doTestProbe("http", server.url("/error"), ""));

            assertThat(forbidden.kind).isEqualTo(FormValidation.Kind.WARNING);
            assertThat(forbidden.getMessage())
                    .matches("Sampled once: FAILURE value=" + LATENCY + " \\(status 403, expected 2xx\\)");
            assertThat(error.kind).isEqualTo(FormValidation.Kind.WARNING);
            assertThat(error.getMessage())
                    .matches("Sampled once: FAILURE value=" + LATENCY + " \\(status 500, expected 2xx\\)");
            assertThat(server.requests("/forbidden")).isEqualTo(1);
            assertThat(server.requests("/error")).isEqualTo(1);
        }
    }

    @Test
    void shouldNotFollowRedirects(final JenkinsRule j) throws Exception {
        secure(j);
        try (StatusServer server = new StatusServer()) {
            RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
            config.setProbeHostAllowlist(server.hostAndPort());

            FormValidation redirected = as("admin", () -> config.doTestProbe("http", server.url("/redirect"), ""));

            assertThat(redirected.kind).isEqualTo(FormValidation.Kind.WARNING);
            assertThat(redirected.getMessage())
                    .matches("Sampled once: FAILURE value=" + LATENCY + " \\(status 302, expected 2xx\\)");
            assertThat(server.requests("/redirect")).isEqualTo(1);
            assertThat(server.requests("/ok")).as("the redirect to /ok is not followed").isZero();
        }
    }

    @Test
    void shouldRefuseHostsOutsideTheAllowlistAndCommands(final JenkinsRule j) throws Exception {
        secure(j);
        try (StatusServer server = new StatusServer()) {
            RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
            config.setProbeHostAllowlist("prom.example.com");
            String notListed = server.url("/ok");

            FormValidation outside = as("admin", () -> config.doTestProbe("http", notListed, ""));

            assertThat(outside.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(outside.getMessage()).isEqualTo(notAllowed(notListed));

            // the same server under another name: the host as written is checked, not where it resolves to
            config.setProbeHostAllowlist(server.hostAndPort());
            String otherName = "http://localhost:" + server.port() + "/ok";

            FormValidation alias = as("admin", () -> config.doTestProbe("http", otherName, ""));

            assertThat(alias.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(alias.getMessage()).isEqualTo(notAllowed(otherName));

            FormValidation command = as("admin", () -> config.doTestProbe("command", server.url("/ok"), ""));

            assertThat(command.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(command.getMessage()).isEqualTo(Util.escape(
                    "The probe kind \"command\" cannot be tested here: use http or prometheus."));
            assertThat(server.requests()).as("refused probes make no request").isZero();
        }
    }

    /** @return the message of a refused URL, HTML-escaped as {@link FormValidation#error(String)} keeps it */
    private static String notAllowed(final String url) {
        return Util.escape("The URL \"" + url + "\" is not an http or https URL whose host is on the list of hosts"
                + " the Test probe button may reach.");
    }

    private static void secure(final JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("bob"));
    }

    private static FormValidation as(final String user, final java.util.function.Supplier<FormValidation> call) {
        try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
            return call.get();
        }
    }

    /**
     * A local HTTP server on 127.0.0.1 that answers {@code /ok} with 200, {@code /forbidden} with 403,
     * {@code /error} with 500 and {@code /redirect} with a 302 to {@code /ok}, and counts the requests per path.
     */
    private static final class StatusServer implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

        StatusServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            answer("/ok", 200, null);
            answer("/forbidden", 403, null);
            answer("/error", 500, null);
            answer("/redirect", 302, "/ok");
            server.start();
        }

        private void answer(final String path, final int status, final String location) {
            server.createContext(path, exchange -> {
                requests.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger())
                        .incrementAndGet();
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                send(exchange, status);
            });
        }

        private static void send(final HttpExchange exchange, final int status) throws IOException {
            byte[] body = ("answered " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** @return the allowlist pattern of this server */
        String hostAndPort() {
            return "127.0.0.1:" + port();
        }

        String url(final String path) {
            return "http://" + hostAndPort() + path;
        }

        /** @return the requests to a path */
        int requests(final String path) {
            AtomicInteger count = requests.get(path);
            return count == null ? 0 : count.get();
        }

        /** @return the requests to all paths */
        int requests() {
            return requests.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
