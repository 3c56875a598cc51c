package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.data.DataHead;
import io.jenkins.plugins.rollbackguard.engine.data.DataHeadException;
import io.jenkins.plugins.rollbackguard.engine.data.DataHeads;
import io.jenkins.plugins.rollbackguard.engine.data.DataSourceSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;

/**
 * Reads the data head of a policy's database and keeps every head seen on the point: before and after the deploy
 * command, at the end of the watch, at a trip (frameworks migrate when the application starts, after the deploy
 * command returned), after an undo or a restore. A policy without a {@code dataVersion} field reads through its
 * database backup's connection too; there a failed read is a warning and tracks nothing, while a policy that asks for
 * the database refuses the deploy when its head cannot be read before it.
 */
final class DataHeadObserver {
    /** Point attribute: the ids of the dumps of the database taken before a data restore, comma-separated. */
    static final String PRE_RESTORE_DUMPS = "data.preRestoreDumps";
    /** Point attribute prefix, + a backup id: the business tables' row counts right after that backup. */
    static final String ROWS = "data.rows.";
    private static final Pattern MARKED = Pattern.compile("(?im)^\\s*--\\s*rollback-guard\\s*:\\s*expand\\b");

    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;
    private boolean failedQuietly;

    DataHeadObserver(final GuardServices services, final Policy policy, final Timeline timeline) {
        this.services = services;
        this.policy = policy;
        this.timeline = timeline;
    }

    /** @return whether this policy's data version is read from a database */
    boolean tracks() {
        DataVersionSpec spec = policy.dataTracking();
        return spec != null && spec.readsDatabase();
    }

    /**
     * Reads the head now.
     *
     * @param phase
     *         when (before-deploy, after-deploy, watch-end, trip, ...)
     * @param strict
     *         whether a failed read of a policy that asks for the database throws (before the deploy)
     * @return the head seen, or empty when nothing is tracked or the read failed (said on the timeline)
     * @throws GuardRefusedException
     *         when strict and the read failed for a policy with a {@code dataVersion} field
     */
    Optional<SeenHead> read(final String phase, final boolean strict) {
        if (!tracks() || failedQuietly) {
            return Optional.empty();
        }
        DataVersionSpec spec = policy.dataTracking();
        try {
            DataHead head = DataHeads.reader(spec.dataSource(), policy.backups(), context("data-head")).read();
            if (head.isNone() && policy.tracksDataImplicitly()) {
                if ("before-deploy".equals(phase)) {
                    timeline.add("data", "no migration history in the database yet (no dataVersion in the policy): "
                            + "its head is read again after the deploy");
                }
                return Optional.of(new SeenHead(phase, head, List.of()));
            }
            SeenHead seen = new SeenHead(phase, head, markers(spec, head));
            timeline.add("data", "data head %s: %s%s".formatted(phase, services.masker().mask(head.describe()),
                    seen.expand().isEmpty() ? "" : "; declared expand by their script: " + seen.expand()));
            return Optional.of(seen);
        }
        catch (DataHeadException | IllegalArgumentException | UnsupportedOperationException | UncheckedIOException e) {
            String why = services.masker().mask(String.valueOf(e.getMessage()));
            if (policy.tracksDataImplicitly() && !ambiguous(e)) {
                failedQuietly = true;
                timeline.add("data", ("the data head cannot be read through the database backup's connection (%s): "
                        + "the data version is not tracked in this run; set dataVersion (docs/data.md) to track it, or "
                        + "fix the connection").formatted(why));
                return Optional.empty();
            }
            if (strict) {
                throw new GuardRefusedException("dataVersion: the data head cannot be read: %s; nothing was recorded or run"
                        .formatted(why));
            }
            timeline.add("data", "the data head %s cannot be read: %s".formatted(phase, why));
            return Optional.empty();
        }
    }

    /**
     * Tells whether a read failed because the database holds several migration histories: then even a policy without
     * a dataVersion field refuses the deploy until it picks one, since that database has migrations to guard. Other
     * failures of such a policy (a connection, a client program, several database backups of which none is named:
     * which one migrates is not known) are warnings. The reader says so only in its words: HistoryTables' sentence.
     */
    private static boolean ambiguous(final RuntimeException e) {
        return e instanceof DataHeadException && String.valueOf(e.getMessage()).startsWith("dataVersion: found ");
    }

    /**
     * Reads the head and keeps it on the point; the point's data version becomes the head.
     *
     * @param point
     *         the point
     * @param phase
     *         when
     * @return the point, updated when a head was read
     */
    RollbackPoint observe(final RollbackPoint point, final String phase) {
        Optional<SeenHead> seen = read(phase, false);
        if (seen.isEmpty()) {
            return point;
        }
        return services.ledger().update(point.environment(), point.id(), "guard", "data head " + phase + ": "
                + seen.get().head().head(), builder -> apply(builder, seen.get()));
    }

    /**
     * Keeps a head on a point being built.
     *
     * @param builder
     *         the point
     * @param seen
     *         the head
     * @return the builder
     */
    RollbackPoint.Builder apply(final RollbackPoint.Builder builder, final SeenHead seen) {
        String version = versionOf(seen);
        return builder.dataHead(seen).dataVersion(version != null ? version : builder.build().dataVersion());
    }

    /**
     * @param seen
     *         a head
     * @return the data version it stands for: the head, or null for a database without history read implicitly
     */
    String versionOf(final SeenHead seen) {
        return seen.head().isNone() && policy.tracksDataImplicitly() ? null : seen.head().head();
    }

    /**
     * Counts the rows of the policy's business tables through a backup's connection.
     *
     * @param connection
     *         a PostgreSQL or MySQL backup spec
     * @return the count by table, in policy order; a table that cannot be counted is left out
     */
    Map<String, Long> countRows(final BackupSpec connection) {
        Map<String, Long> counts = new LinkedHashMap<>();
        DataVersionSpec spec = policy.dataTracking();
        if (spec == null) {
            return counts;
        }
        for (String table : spec.businessTables()) {
            try {
                String out = DataHeads.reader(DataSourceSpec.query("SELECT count(*) FROM " + table), connection,
                        context("rows")).read().head().strip();
                counts.put(table, Long.parseLong(out));
            }
            catch (RuntimeException e) {
                timeline.add("data", "rows of %s cannot be counted: %s".formatted(table,
                        services.masker().mask(String.valueOf(e.getMessage()))));
            }
        }
        return counts;
    }

    /** @return counts written as {@code orders=12;payments=3} */
    static String writeCounts(final Map<String, Long> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((table, count) -> text.append(text.length() == 0 ? "" : ";").append(table).append('=').append(count));
        return text.toString();
    }

    /** @return counts read from {@link #writeCounts} */
    static Map<String, Long> readCounts(final String text) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String entry : text.split(";")) {
                String[] parts = entry.split("=", 2);
                counts.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return counts;
    }

    private BackupContext context(final String label) {
        return new BackupContext(services.secrets(), services.runner(), services.scheduler(), services.listener(), label);
    }

    /**
     * The migrations of the head whose Flyway script in the policy's migrations directory carries the marker. The
     * scripts are found where the deploy's commands run (grep through the run's command runner: on a Jenkins agent,
     * in the workspace), else in this process's directory.
     */
    private List<String> markers(final DataVersionSpec spec, final DataHead head) {
        if (spec.migrations() == null || head.applied().isEmpty()) {
            return List.of();
        }
        Optional<java.util.Set<String>> found = grepMarked(spec.migrations());
        if (found.isPresent()) {
            return DataCompatibility.marked(head, script -> found.get().contains(Path.of(script).getFileName().toString()));
        }
        Path dir = Path.of(spec.migrations());
        if (!Files.isDirectory(dir)) {
            timeline.add("data", "dataVersion.migrations: '%s' is not a directory here; no script is read for the '-- %s' "
                    .formatted(spec.migrations(), DataCompatibility.MARKER) + "marker");
            return List.of();
        }
        Map<String, Path> scripts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(dir, 8)) {
            files.filter(Files::isRegularFile).forEach(file -> scripts.putIfAbsent(file.getFileName().toString(), file));
        }
        catch (IOException e) {
            throw new UncheckedIOException("dataVersion.migrations: '%s' cannot be read".formatted(spec.migrations()), e);
        }
        return DataCompatibility.marked(head, script -> {
            Path file = scripts.get(Path.of(script).getFileName().toString());
            return file != null && marked(file);
        });
    }

    /** @return the names of the files under the directory that carry the marker, or empty when grep cannot tell */
    private Optional<java.util.Set<String>> grepMarked(final String dir) {
        try {
            io.jenkins.plugins.rollbackguard.engine.spi.CommandResult result = services.runner().run(
                    io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest.of(java.time.Duration.ofSeconds(30),
                            "grep", "-rliE", "^[[:space:]]*--[[:space:]]*rollback-guard[[:space:]]*:[[:space:]]*expand",
                            dir));
            if (result.exitCode() != 0 && result.exitCode() != 1) { // 1: no file matched; more: no such directory
                return Optional.empty();
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            result.stdout().lines().filter(line -> !line.isBlank())
                    .forEach(line -> names.add(line.substring(Math.max(line.lastIndexOf('/'), line.lastIndexOf('\\')) + 1)));
            return Optional.of(names);
        }
        catch (RuntimeException e) { // no grep where the commands run (a Windows agent)
            return Optional.empty();
        }
    }

    private static boolean marked(final Path script) {
        try {
            String text = Files.readString(script, StandardCharsets.UTF_8);
            return MARKED.matcher(text.length() > 65_536 ? text.substring(0, 65_536) : text).find();
        }
        catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return the table names as a person reads them */
    static String describeCounts(final Map<String, Long> counts) {
        return counts.isEmpty() ? "none counted" : writeCounts(counts).replace(";", ", ");
    }
}
