package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for the symbolic links of a backed-up tree, applied when a backup is taken (to the scanned tree) and
 * when it is restored (to the archive's entries), so that a backup that could not be restored fails when it is
 * taken, naming the link, instead of when it is needed.
 *
 * <p>A link's target is relative and, resolved from the link's directory one name at a time, stays inside the root
 * and passes through no other link of the tree (its last name may be a link: that link obeys the rule too). No
 * entry lies below a link. Then resolving by names and resolving on the disk agree, so a restore that creates
 * entries without following links (and links last) never writes outside its target, and a link never leads out of
 * it, dangling or not.</p>
 */
final class TreeLinks {
    private final Map<String, String> links = new LinkedHashMap<>();
    private final List<String> entries = new ArrayList<>();

    /**
     * Adds an entry of the tree.
     *
     * @param path
     *         its path relative to the root, with {@code /} separators, no trailing slash
     * @param linkTarget
     *         the link's target as stored, or null for a file or directory
     */
    void add(final String path, final String linkTarget) {
        entries.add(path);
        if (linkTarget != null) {
            links.put(path, linkTarget);
        }
    }

    /** @return the first broken rule as a sentence naming the entry, or empty if the tree obeys the rule */
    Optional<String> firstProblem() {
        for (String entry : entries) {
            for (String ancestor = parent(entry); !ancestor.isEmpty(); ancestor = parent(ancestor)) {
                if (links.containsKey(ancestor)) {
                    return Optional.of("'%s' lies below the symbolic link '%s'".formatted(entry, ancestor));
                }
            }
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            Optional<String> problem = problem(link.getKey(), link.getValue());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> problem(final String link, final String target) {
        String described = "symbolic link '%s' -> '%s'".formatted(link, target);
        if (target.isEmpty() || target.startsWith("/") || target.startsWith("\\") || target.contains("\0")
                || target.matches("^[A-Za-z]:.*")) {
            return Optional.of(described + " is not a relative path inside the tree");
        }
        List<String> current = new ArrayList<>(names(parent(link)));
        String[] steps = target.split("[/\\\\]");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            if (step.isEmpty() || ".".equals(step)) {
                continue;
            }
            if ("..".equals(step)) {
                if (current.isEmpty()) {
                    return Optional.of(described + " points outside the tree");
                }
                current.remove(current.size() - 1);
                continue;
            }
            current.add(step);
            boolean last = i == steps.length - 1 || List.of(steps).subList(i + 1, steps.length).stream()
                    .allMatch(rest -> rest.isEmpty() || ".".equals(rest));
            String reached = String.join("/", current);
            if (!last && links.containsKey(reached)) {
                return Optional.of(described + " passes through the symbolic link '%s'".formatted(reached));
            }
        }
        return Optional.empty();
    }

    private static String parent(final String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static List<String> names(final String path) {
        return path.isEmpty() ? List.of() : List.of(path.split("/"));
    }
}
