package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import jenkins.MasterToSlaveFileCallable;

import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * An HTTP or Prometheus probe sampled on the agent of the enclosing {@code node} (the deploy target may be
 * reachable only from there): each sample is one short callable that builds the engine's probe on the agent and
 * samples it once. An agent that is gone turns the sample into a provider ERROR, which the analysis counts apart
 * from failures.
 */
public class AgentProbe implements Probe {
    private final ProbeSpec spec;
    private final FilePath workspace;
    private final Map<String, String> secrets;

    /**
     * Creates the probe.
     *
     * @param spec
     *         the probe's configuration
     * @param workspace
     *         a directory on the agent, which names the agent
     * @param secrets
     *         the secrets the probe uses, resolved on the controller, by name
     */
    public AgentProbe(final ProbeSpec spec, final FilePath workspace, final Map<String, String> secrets) {
        this.spec = spec;
        this.workspace = workspace;
        this.secrets = new HashMap<>(secrets);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Measurement sample() {
        try {
            return workspace.act(new SampleOnAgent(spec, secrets));
        }
        catch (IOException | RuntimeException e) {
            return Measurement.withoutValue(Instant.now(), Outcome.ERROR, "agent unreachable: " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Measurement.withoutValue(Instant.now(), Outcome.ERROR, "interrupted while sampling on the agent");
        }
    }

    /** Takes one sample on the agent. */
    private static final class SampleOnAgent extends MasterToSlaveFileCallable<Measurement> {
        private static final long serialVersionUID = 1L; // first release

        private final ProbeSpec spec;
        private final HashMap<String, String> secrets;

        SampleOnAgent(final ProbeSpec spec, final Map<String, String> secrets) {
            super();
            this.spec = spec;
            this.secrets = new HashMap<>(secrets);
        }

        @Override
        public Measurement invoke(final File dir, final VirtualChannel channel) {
            ProbeFactory factory = new ProbeFactory(SecretSource.of(secrets), new LocalCommandRunner(), Runnable::run,
                    new ClockOnly());
            return factory.create(spec).sample();
        }
    }

    /** A clock for stamping measurements; probes on the agent never schedule. */
    static final class ClockOnly implements Scheduler {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Cancellable schedule(final Duration delay, final Runnable task) {
            throw new UnsupportedOperationException("nothing is scheduled on the agent; asked to run in " + delay);
        }
    }
}
