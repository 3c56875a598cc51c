package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares per-table content hashes. Each hash covers a table's rows in a defined order (sorted by the hash of
 * each row's text), so equal hashes mean equal contents, not just equal row counts.
 */
final class TableChecksums {
    private TableChecksums() {
        // static helpers only
    }

    /** Parses lines of {@code table<TAB>hash} (or {@code |}) as printed by the database clients. */
    static Map<String, String> parse(final String output) {
        Map<String, String> result = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.strip().split("[\t|]", 2);
            if (parts.length == 2) {
                result.put(parts[0], parts[1]);
            }
        }
        return result;
    }

    static RestoreTestResult compare(final Map<String, String> expected, final Map<String, String> actual,
            final String reference, final String scratch) {
        List<String> mismatches = new ArrayList<>();
        for (String table : new TreeSet<>(union(expected, actual))) {
            String want = expected.getOrDefault(table, "missing");
            String got = actual.getOrDefault(table, "missing");
            if (!want.equals(got)) {
                mismatches.add("%s: expected %s, restored %s".formatted(table, want, got));
            }
        }
        int compared = union(expected, actual).size();
        return new RestoreTestResult(mismatches.isEmpty(), compared, mismatches,
                "%d of %d tables in %s match %s".formatted(compared - mismatches.size(), compared, scratch, reference));
    }

    private static TreeSet<String> union(final Map<String, String> a, final Map<String, String> b) {
        TreeSet<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }
}
