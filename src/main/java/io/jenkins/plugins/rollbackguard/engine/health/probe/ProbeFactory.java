package io.jenkins.plugins.rollbackguard.engine.health.probe;

import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Builds {@link Probe}s from {@link ProbeSpec}s. Secrets are looked up here, once, and go only into
 * request headers or process environments; every detail a probe reports is masked. HTTP clients are
 * shared: one per (connect timeout, redirect policy, TLS or not), so a thousand HTTP probes need no
 * thread each.
 */
public final class ProbeFactory {
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private final SecretSource secrets;
    private final CommandRunner runner;
    private final Executor executor;
    private final Scheduler clock;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private boolean redirectsAllowed = true; // false for probes a user may aim anywhere (the Test probe button)

    /**
     * Creates a factory.
     *
     * @param secrets
     *         where secret names are resolved
     * @param runner
     *         runs command probes
     * @param executor
     *         a small bounded pool for the HTTP clients' callbacks
     * @param clock
     *         stamps measurements
     */
    public ProbeFactory(final SecretSource secrets, final CommandRunner runner, final Executor executor,
            final Scheduler clock) {
        this.secrets = secrets;
        this.runner = runner;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Makes every HTTP and Prometheus probe of this factory refuse redirects, whatever its spec says:
     * for probes whose target a user chooses (a "Test probe" button), where a redirect could lead past
     * a host allowlist.
     *
     * @return this factory
     */
    public ProbeFactory withoutRedirects() {
        redirectsAllowed = false;
        return this;
    }

    /**
     * Builds a probe.
     *
     * @param spec
     *         the configuration
     * @return the probe
     * @throws IllegalArgumentException
     *         if a named secret does not exist (the message names the field and the secret's name)
     */
    public Probe create(final ProbeSpec spec) {
        if (spec instanceof HttpProbeSpec http) {
            List<Secret> used = new ArrayList<>();
            Map<String, String> headers = authHeaders(http.auth(), used);
            return new HttpProbe(http, client(http.connectTimeout(), http.redirects(), http.url()), headers,
                    Masker.of(used),
                    clock);
        }
        if (spec instanceof PrometheusProbeSpec prometheus) {
            List<Secret> used = new ArrayList<>();
            Map<String, String> headers = authHeaders(prometheus.auth(), used);
            return new PrometheusProbe(prometheus, client("5s", "normal", prometheus.url()), headers, Masker.of(used),
                    clock);
        }
        CommandProbeSpec command = (CommandProbeSpec) spec;
        Map<String, Secret> env = new LinkedHashMap<>();
        command.secretEnvironment().forEach((variable, secretName) ->
                env.put(variable, secrets.require(secretName, "secretEnvironment." + variable)));
        return new CommandProbe(command, runner, env, clock);
    }

    /**
     * Warns when asynchronous HTTP probes would cost a thread per response: JDK 17's {@link HttpClient}
     * hands each completion to {@code CompletableFuture}'s default pool, which starts a new thread per task
     * when the common pool's parallelism is below 2 (machines with 2 cores). Hosts print this once.
     *
     * @return the warning, or empty when the common pool is large enough
     */
    public static Optional<String> asyncPoolWarning() {
        int parallelism = ForkJoinPool.getCommonPoolParallelism();
        if (parallelism >= 2) {
            return Optional.empty();
        }
        return Optional.of(("The common ForkJoinPool has parallelism %d, so each HTTP probe response starts a thread;"
                + " run the JVM with -D%s=2").formatted(parallelism, COMMON_POOL_PARALLELISM));
    }

    private Map<String, String> authHeaders(final Auth auth, final List<Secret> used) {
        if (auth == null) {
            return Map.of();
        }
        if (auth.bearerSecret() != null) {
            Secret token = secrets.require(auth.bearerSecret(), "auth.bearerSecret");
            used.add(token);
            return Map.of("Authorization", "Bearer " + token.reveal());
        }
        Secret password = secrets.require(auth.passwordSecret(), "auth.passwordSecret");
        used.add(password);
        String pair = auth.username() + ":" + password.reveal();
        String encoded = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        used.add(Secret.of(encoded)); // the encoded form would reveal the password just as well
        return Map.of("Authorization", "Basic " + encoded);
    }

    private HttpClient client(final String connectTimeout, final String requested, final String url) {
        String redirects = redirectsAllowed ? requested : "never";
        boolean secure = url.regionMatches(true, 0, "https:", 0, 6);
        // A plain-HTTP client runs the JDK's internal steps where they happen (the caller's thread, the
        // client's selector thread) instead of handing each to the pool: measured with HealthBenchmark, that
        // halves the CPU of a thousand probes a second. Our own code still runs elsewhere: the JDK hands each
        // completed response to the common pool. TLS clients keep the pool, so that handshakes (delegated
        // tasks on the executor) never stall the selector thread.
        Executor steps = secure ? executor : Runnable::run;
        return clients.computeIfAbsent(connectTimeout + "|" + redirects + "|" + secure, key -> HttpClient.newBuilder()
                .connectTimeout(Durations.parse("connectTimeout", connectTimeout))
                .followRedirects(HttpClient.Redirect.valueOf(redirects.toUpperCase(java.util.Locale.ROOT)))
                .executor(steps)
                .build());
    }

}
