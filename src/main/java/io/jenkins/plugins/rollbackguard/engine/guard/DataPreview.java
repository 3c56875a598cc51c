package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.data.Migration;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;

/**
 * The data decision of {@code deploy --dry-run}: the data head now, the Flyway scripts of
 * {@code dataVersion.migrations} that are not applied yet (what this deploy would migrate), which of them are declared
 * backward compatible, and so what a revert after this deploy would do: go ahead with a warning (all expand), run the
 * undo, restore the database backup this deploy takes, or be refused for a person.
 */
final class DataPreview {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.sql", Pattern.CASE_INSENSITIVE);
    private static final Pattern MARKED = Pattern.compile("(?im)^\\s*--\\s*rollback-guard\\s*:\\s*expand\\b");

    private DataPreview() {
    }

    /**
     * @param policy
     *         the policy
     * @param seen
     *         the head now
     * @param revert
     *         what a trip would start
     * @return one line
     */
    static String describe(final Policy policy, final SeenHead seen, final RevertPlan revert) {
        DataVersionSpec spec = policy.dataTracking();
        String now = seen.head().describe();
        if (seen.head().isHalfApplied()) {
            return "%s: a trip would freeze the environment before any revert".formatted(now);
        }
        String target = revert instanceof RevertPlan.Revert r ? " (%s at %s)".formatted(r.target().lastHead()
                .map(h -> h.head().head()).orElse(r.target().dataVersion() == null ? "untracked" : r.target().dataVersion()),
                r.target().label()) : "";
        if (spec.migrations() == null) {
            return ("%s now%s; a revert after migrations is decided by their declarations (expand marker, label or "
                    + "dataVersion.compatible: go ahead with a warning; otherwise %s); set dataVersion.migrations to "
                    + "see the pending scripts here").formatted(now, target, otherwise(policy));
        }
        List<String> pending = new ArrayList<>();
        List<String> blocking = new ArrayList<>();
        for (Path script : pending(Path.of(spec.migrations()), seen)) {
            String name = script.getFileName().toString();
            pending.add(name);
            String id = version(name);
            if (!marked(script) && !spec.declaresCompatible(id, name)) {
                blocking.add(name);
            }
        }
        if (pending.isEmpty()) {
            return "%s now%s; no pending migration in %s: a revert crosses no migration of this deploy, unless the "
                    .formatted(now, target, spec.migrations()) + "application migrates on its own";
        }
        if (blocking.isEmpty()) {
            return ("%s now%s; pending %s, all declared backward compatible (expand): a revert after them goes ahead "
                    + "with a warning that the schema stays forward").formatted(now, target, pending);
        }
        return ("%s now%s; pending %s; not declared backward compatible: %s, so a revert after them would %s")
                .formatted(now, target, pending, blocking, otherwise(policy));
    }

    private static String otherwise(final Policy policy) {
        DataVersionSpec spec = policy.dataTracking();
        if (spec.undo() != null) {
            return "run the policy's undo %s and check the head came back".formatted(spec.undo().command());
        }
        boolean database = policy.backups().stream().anyMatch(b -> b.kind().name().equals("POSTGRES")
                || b.kind().name().equals("MYSQL"));
        if (policy.allowDataRestore() && database) {
            return "restore the database backup taken before this deploy (after a verified dump of the database as it "
                    + "is), losing the rows written since";
        }
        return "be refused and the environment frozen for a person (no undo, %s)".formatted(policy.allowDataRestore()
                ? "no database backup" : "allowDataRestore: false");
    }

    /** The versioned scripts of the directory not applied in the head, in version order. */
    static List<Path> pending(final Path dir, final SeenHead seen) {
        Set<String> applied = seen.head().applied().stream().map(Migration::id).map(DataPreview::normal)
                .collect(Collectors.toSet());
        TreeMap<List<Integer>, Path> scripts = new TreeMap<>(DataPreview::compare);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, 8)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String version = version(file.getFileName().toString());
                if (version != null && !applied.contains(normal(version))) {
                    scripts.put(parts(version), file);
                }
            });
        }
        catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(scripts.values());
    }

    private static String version(final String name) {
        Matcher m = VERSIONED.matcher(name);
        return m.matches() ? m.group(1).replace('_', '.') : null;
    }

    private static String normal(final String version) {
        return parts(version).stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    private static List<Integer> parts(final String version) {
        List<Integer> parts = new ArrayList<>();
        for (String part : version.toLowerCase(Locale.ROOT).split("[._]")) {
            try {
                parts.add(Integer.parseInt(part));
            }
            catch (NumberFormatException e) {
                parts.add(0);
            }
        }
        return parts;
    }

    private static int compare(final List<Integer> a, final List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean marked(final Path script) {
        try {
            return MARKED.matcher(Files.readString(script, StandardCharsets.UTF_8)).find();
        }
        catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
