package io.jenkins.plugins.rollbackguard.engine.spi;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link SecretSource} that remembers every secret it resolved, so that one {@link Masker} for the whole run hides
 * them in everything the run prints, records or sends: the output of hooks and deploy commands as well as of probes
 * and backups. Values that are secret without a name (the encoded {@code user:password} of basic authentication, the
 * value of a parameter whose name looks secret) are {@linkplain #add(Secret) added} by whoever derives them. Wrap
 * the host's runner and listener with {@link #runner(CommandRunner)} and {@link #listener(GuardListener)} so that
 * nothing bypasses it. Thread-safe.
 */
public final class ResolvedSecrets implements SecretSource {
    private final SecretSource source;
    private final Map<String, Optional<Secret>> byName = new LinkedHashMap<>(); // guarded by this
    private final Set<Secret> extra = new LinkedHashSet<>(); // guarded by this
    private volatile Masker masker = Masker.none();

    private ResolvedSecrets(final SecretSource source) {
        this.source = source;
    }

    /**
     * Wraps a source; a source that already remembers is returned as it is, so that a nested run shares its masker.
     *
     * @param source
     *         the host's source
     * @return the remembering source
     */
    public static ResolvedSecrets of(final SecretSource source) {
        return source instanceof ResolvedSecrets resolved ? resolved : new ResolvedSecrets(source);
    }

    @Override
    public Optional<Secret> find(final String name) {
        synchronized (this) {
            Optional<Secret> known = byName.get(name);
            if (known != null && known.isPresent()) {
                return known;
            }
        }
        Optional<Secret> found = source.find(name);
        synchronized (this) {
            byName.put(name, found);
            found.ifPresent(secret -> masker = masker.with(java.util.List.of(secret)));
        }
        return found;
    }

    /**
     * Adds a value that is secret without being looked up by name.
     *
     * @param secret
     *         the value
     */
    public void add(final Secret secret) {
        synchronized (this) {
            if (extra.add(secret)) {
                masker = masker.with(java.util.List.of(secret));
            }
        }
    }

    /** @return a masker for every secret resolved or added so far */
    public Masker masker() {
        return masker;
    }

    /**
     * Masks a text with every secret resolved so far.
     *
     * @param text
     *         any text, may be null
     * @return the masked text
     */
    public String mask(final String text) {
        return masker.mask(text);
    }

    /** @return how many secrets were resolved or added (not their values) */
    public synchronized int count() {
        return (int) byName.values().stream().filter(Optional::isPresent).count() + extra.size();
    }

    /**
     * Wraps a runner so that each request also masks every secret resolved so far in what comes back.
     *
     * @param runner
     *         the host's runner
     * @return the masking runner (the runner itself if it already masks for this source)
     */
    public CommandRunner runner(final CommandRunner runner) {
        if (runner instanceof MaskingRunner masking && masking.secrets == this) {
            return runner;
        }
        return new MaskingRunner(runner, this);
    }

    /**
     * Wraps a listener so that every line is masked with every secret resolved so far.
     *
     * @param listener
     *         the host's listener
     * @return the masking listener (the listener itself if it already masks for this source)
     */
    public GuardListener listener(final GuardListener listener) {
        if (listener instanceof MaskingListener masking && masking.secrets == this) {
            return listener;
        }
        return new MaskingListener(listener, this);
    }

    /** Adds the run's masker to every request. */
    private static final class MaskingRunner implements CommandRunner {
        private final CommandRunner runner;
        private final ResolvedSecrets secrets;

        MaskingRunner(final CommandRunner runner, final ResolvedSecrets secrets) {
            this.runner = runner;
            this.secrets = secrets;
        }

        @Override
        public CommandResult run(final CommandRequest request) {
            Masker run = secrets.masker();
            CommandResult result = runner.run(request.alsoMasking(run));
            // Belt and braces for runners that ignore the request's masker.
            return new CommandResult(result.exitCode(), run.mask(result.stdout()), run.mask(result.stderr()),
                    result.duration(), result.timedOut());
        }

        @Override
        public CommandResult run(final CommandRequest request, final OutputLines lines) {
            Masker run = secrets.masker();
            // each line masked again with every secret known when it is printed, whatever the runner did
            CommandResult result = runner.run(request.alsoMasking(run), (stderr, line) -> lines.line(stderr, secrets.mask(line)));
            return new CommandResult(result.exitCode(), run.mask(result.stdout()), run.mask(result.stderr()),
                    result.duration(), result.timedOut());
        }
    }

    /** Masks every line. */
    private static final class MaskingListener implements GuardListener {
        private final GuardListener listener;
        private final ResolvedSecrets secrets;

        MaskingListener(final GuardListener listener, final ResolvedSecrets secrets) {
            this.listener = listener;
            this.secrets = secrets;
        }

        @Override
        public void info(final String line) {
            listener.info(secrets.mask(line));
        }

        @Override
        public void error(final String line) {
            listener.error(secrets.mask(line));
        }
    }
}
