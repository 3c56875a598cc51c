package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * A host whose probes sample where it reaches the target, as a Jenkins agent does: each HTTP probe's URL is
 * rewritten to the address this host reaches (one the controller may not), and every probe built and every sample
 * taken is counted. Everything else is the wrapped host's. Two shapes of probe: {@link Shape#ASYNC} samples with the
 * engine's own HTTP probe (its future completes off the sample pool), {@link Shape#BLOCKING} takes each sample as one
 * blocking round trip on the sample thread, as the Jenkins agent probe does over remoting, so that everything the
 * machine does with a measurement runs on the sample pool.
 */
final class ReachingHost extends DelegatingHost {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a probe of this host takes its sample. */
    enum Shape {
        ASYNC,
        BLOCKING
    }

    private final GuardMachine.Host local;
    private final UnaryOperator<String> reach;
    private final Shape shape;
    private final ProbeFactory factory;
    private final AtomicInteger built = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();

    /**
     * Wraps a host.
     *
     * @param local
     *         the host that does the rest
     * @param reach
     *         rewrites a policy URL to the one this host reaches
     * @param shape
     *         how its probes sample
     * @param clock
     *         stamps measurements
     */
    ReachingHost(final GuardMachine.Host local, final UnaryOperator<String> reach, final Shape shape,
                 final Scheduler clock) {
        super(local);
        this.local = local;
        this.reach = reach;
        this.shape = shape;
        // the host's own factory, as an agent builds its own: nothing it samples goes through the session's
        this.factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), Runnable::run, clock);
    }

    /** @return how many probes the machine asked this host for */
    int built() {
        return built.get();
    }

    /** @return how many samples this host's probes took */
    int samples() {
        return samples.get();
    }

    @Override
    public Probe probe(final ProbeSpec spec) {
        built.incrementAndGet();
        HttpProbeSpec http = (HttpProbeSpec) spec;
        HttpProbeSpec reached = new HttpProbeSpec(http.name(), reach.apply(http.url()), http.method(), http.headers(),
                http.auth(), http.expectStatus(), http.bodyMatch(), http.jsonPointer(), http.connectTimeout(),
                http.timeout(), http.redirects(), http.maxBodyBytes(), http.failIf(), http.successIf(), http.analysis());
        Probe engine = factory.create(reached);
        if (shape == Shape.ASYNC) {
            return new Probe() {
                @Override
                public String name() {
                    return engine.name();
                }

                @Override
                public Measurement sample() {
                    throw new AssertionError("the machine samples without blocking: sampleAsync");
                }

                @Override
                public CompletableFuture<Measurement> sampleAsync(final Executor executor) {
                    samples.incrementAndGet();
                    return engine.sampleAsync(executor);
                }
            };
        }
        return new Probe() {
            @Override
            public String name() {
                return reached.name();
            }

            @Override
            public Measurement sample() { // the default sampleAsync runs this on the sample pool
                samples.incrementAndGet();
                return roundTrip(reached);
            }
        };
    }

    /** One blocking GET, no future involved: the thread waits on its socket as on a remoting call. */
    private static Measurement roundTrip(final HttpProbeSpec spec) {
        java.time.Instant at = java.time.Instant.now();
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(spec.url()).toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            try (InputStream in = connection.getInputStream()) {
                JsonNode node = JSON.readTree(in).at(spec.jsonPointer());
                return node.isNumber() ? Measurement.of(at, node.asDouble(), Outcome.SUCCESS, "via the host")
                        : Measurement.withoutValue(at, Outcome.ERROR, "no number at " + spec.jsonPointer());
            }
            finally {
                connection.disconnect();
            }
        }
        catch (IOException e) {
            return Measurement.withoutValue(at, Outcome.FAILURE, "I/O error: " + e.getMessage());
        }
    }

    @Override
    public boolean deployResumes() {
        return local.deployResumes();
    }
}
