package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.OutputTail;

/**
 * The evidence of a trip, kept with the point as long as the point ({@code <point files>/evidence/}): the watch's
 * samples, the deploy output's tail, each probe's last response and a log tail from the command or file the policy
 * names ({@code evidence}), with a README saying what each file is. Collected once the point is BAD and before the
 * revert, so that the log tail is the bad version's. Every file is masked with every secret of the run; each part is
 * capped (64 KiB of log and output, 4 KiB of each response). A part that cannot be had is named in the README; the
 * trip goes on whatever happens here.
 */
final class TripEvidence {
    /** The file that says what the others are. */
    static final String README = "README.txt";
    /** How long the log command may run: the revert waits for it. */
    static final Duration LOG_TIMEOUT = Duration.ofSeconds(15);
    /** The deploy output's tail, written beside the point's artifacts by the host that ran the deploy. */
    static final String DEPLOY_OUTPUT = FileArtifactStore.DEPLOY_OUTPUT;
    private static final DateTimeFormatter JOURNAL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;

    TripEvidence(final GuardServices services, final Policy policy, final Timeline timeline) {
        this.services = services;
        this.policy = policy;
        this.timeline = timeline;
    }

    /**
     * Writes the bundle of a BAD point, if its host keeps point files.
     *
     * @param bad
     *         the point, BAD
     * @param verdict
     *         its verdict, masked
     * @param responses
     *         each probe's last response, by probe name
     * @return the bundle's directory, or empty when nothing was kept
     */
    Optional<Path> collect(final RollbackPoint bad, final String verdict, final Map<String, String> responses) {
        Optional<Path> files = services.artifacts() == null ? Optional.empty() : services.artifacts().pointFiles(bad.id());
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path dir = files.get().resolve(FileArtifactStore.EVIDENCE);
        Map<String, String> readme = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            Instant started = deployStarted(bad);
            write(dir, "verdict.txt", verdict(bad, verdict, started));
            readme.put("verdict.txt", "the point, its verdict and each probe's verdict with its last measurement");
            String watch = bad.attributes().get(GuardState.WATCH);
            if (watch != null) {
                write(dir, "samples.json", pretty(watch));
                readme.put("samples.json", "every sample of the watch, by probe: time, value, outcome, detail (successive "
                        + "counter readings kept as one, its 'readings' saying how many, with the last one's time and "
                        + "counts), and the baseline (the machine's guard.watch state)");
            }
            Path output = files.get().resolve(DEPLOY_OUTPUT);
            if (Files.isRegularFile(output)) {
                write(dir, DEPLOY_OUTPUT, Files.readString(output, StandardCharsets.UTF_8));
                readme.put(DEPLOY_OUTPUT, "the last 64 KiB of the deploy command's output ([deploy] standard output, "
                        + "[deploy:err] standard error)");
            }
            int n = 0;
            for (Map.Entry<String, String> response : responses.entrySet()) {
                String name = "probe-%02d-%s.txt".formatted(++n, fileName(response.getKey()));
                write(dir, name, response.getValue());
                readme.put(name, "the last response of probe '%s' (HTTP: status and the first 4 KiB of the body; "
                        .formatted(response.getKey()) + "Prometheus: the query's answer; command: exit code and the "
                        + "ends of its output)");
            }
            if (policy.evidence() != null) {
                String source = policy.evidence().path() != null ? "the file " + policy.evidence().path()
                        : "the output of " + String.join(" ", command(started));
                write(dir, "log-tail.txt", logTail(bad, started));
                readme.put("log-tail.txt", "the last 64 KiB of " + source + " (the policy's evidence), read at the trip");
            }
            readme.put(README, "this file");
            write(dir, README, readme(bad, readme));
        }
        catch (IOException | RuntimeException e) {
            timeline.add("evidence", "WARNING: the evidence of %s could not all be kept in %s: %s"
                    .formatted(bad.label(), dir, e.getMessage()));
            return Optional.of(dir);
        }
        timeline.add("evidence", "kept %d file(s) of evidence with %s in %s".formatted(readme.size(), bad.label(), dir));
        return Optional.of(dir);
    }

    private String verdict(final RollbackPoint bad, final String verdict, final Instant started) {
        StringBuilder text = new StringBuilder();
        text.append("point: ").append(bad.label()).append(" in ").append(bad.environment()).append('\n')
                .append("status: ").append(bad.status()).append('\n')
                .append("deploy started: ").append(started).append('\n')
                .append("verdict: ").append(verdict).append('\n');
        bad.attributes().forEach((name, value) -> {
            if (name.startsWith(GuardSession.MEASUREMENT)) {
                text.append("probe ").append(name.substring(GuardSession.MEASUREMENT.length())).append(": ")
                        .append(value).append('\n');
            }
        });
        return text.toString();
    }

    private String logTail(final RollbackPoint bad, final Instant started) {
        EvidenceSpec spec = policy.evidence();
        if (spec.path() != null) {
            Path file = Path.of(spec.path());
            try {
                return OutputTail.tailOf(file, OutputTail.DEFAULT_BYTES);
            }
            catch (IOException e) {
                return "[the file %s could not be read: %s]\n".formatted(spec.path(), e.getMessage());
            }
        }
        OutputTail tail = new OutputTail(OutputTail.DEFAULT_BYTES);
        CommandRequest request = new CommandRequest(command(started), Map.of(
                "ROLLBACK_GUARD_ENVIRONMENT", bad.environment().value(),
                "ROLLBACK_GUARD_POINT", Long.toString(bad.id()),
                "ROLLBACK_GUARD_DEPLOY_STARTED", started.toString()), Map.of(), null, LOG_TIMEOUT, null, 4 * 1024);
        try {
            CommandResult result = services.runner().run(request, (stderr, line) -> tail.add(line));
            String end = result.succeeded() ? "" : "[%s: %s]\n".formatted(request.describe(), result.summary());
            return tail.text() + end;
        }
        catch (CommandException e) {
            return tail.text() + "[%s could not be run: %s]\n".formatted(request.describe(), e.getMessage());
        }
    }

    private List<String> command(final Instant started) {
        List<String> command = new ArrayList<>();
        String time = JOURNAL_TIME.format(started);
        policy.evidence().command().forEach(arg -> command.add(arg.replace("{deployStarted}", time)));
        return command;
    }

    private static Instant deployStarted(final RollbackPoint bad) {
        GuardState state = GuardState.of(bad);
        return state != null && state.deployStartedAt() != null ? state.deployStartedAt() : bad.createdAt();
    }

    private String readme(final RollbackPoint bad, final Map<String, String> files) {
        StringBuilder text = new StringBuilder("Evidence of the trip of ").append(bad.label()).append(" in ")
                .append(bad.environment()).append(", kept at the verdict, before any revert. Secrets are masked as ")
                .append("****.\n\n");
        files.forEach((name, what) -> text.append(name).append(": ").append(what).append('\n'));
        return text.toString();
    }

    private static String pretty(final String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)) + "\n";
        }
        catch (IOException e) {
            return json;
        }
    }

    /** A probe's name as a file name: letters, digits, dot, dash and underscore. */
    static String fileName(final String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() > 60 ? safe.substring(0, 60) : safe;
    }

    private void write(final Path dir, final String name, final String text) throws IOException {
        Files.writeString(dir.resolve(name), services.masker().mask(text), StandardCharsets.UTF_8);
    }
}
