package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The policy fuzzer, run in its own JVM by {@link PolicyReaderFuzzTest} so a small heap ({@code -Xmx256m}) is the
 * reader's heap: arguments {@code <seed> <count> <docs dir>}. Mutates the policy examples of the docs (the blocks
 * of docs/*.md and README.md marked as whole policies) {@code count} times with a seeded generator, adds
 * hand-made hostile cases, and feeds each to {@link PolicyReader}. A case passes when the reader accepts it or
 * refuses it with a {@link PolicyException} whose message is one line without Java words; anything else (another
 * exception, an OutOfMemoryError, a StackOverflowError) fails it. Prints one {@code FAIL} line per failed case (the
 * seed, the case number and kind, the case shortened), then {@code SUMMARY ...} with the time per case; exits 1 if a
 * case failed.
 */
public final class PolicyFuzzProcess {
    /**
     * What a message must not contain: a Java class name, an exception's or error's name (the fields
     * consecutiveErrorLimit and onError are not), null, a byte array's toString.
     */
    static final Pattern JAVA_WORDS = Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]\\w*|Exception|\\b(?!on)[A-Za-z]*Error\\b|null|\\[B@");
    private static final String[] VALUES = {"~", "''", "\"\"", "-1", "0", "99999999999999999999999", "1e400", "-0.0",
        "NaN", ".inf", "[]", "{}", "[~]", "{a: ~}", "'> 5%'", "between 299 and 200", "'x'", "yes", "true", "\"\\u0000\"",
        "'" + "v".repeat(300) + "'", "\"a\\nb\"", "!!str x", "!!java.lang.Runtime x", "&a x", "*a", "'http://[::1'",
        "'(('", "'[a-'", "'/'", "'> 5% or <= 5%'", "'< 1 and > 2'", "12:30", "2026-01-01", "0x1F", "'%s%n'", "'\\'"};
    private static final String ALPHABET = ":{}[]-,'\"#&*!>|%? \n\t\\0123456789abcxyz/=<";

    private PolicyFuzzProcess() {
    }

    /**
     * Runs the fuzzer.
     *
     * @param args
     *         seed, count of mutations, the directory that holds docs/ and README.md
     * @throws IOException
     *         if the docs cannot be read
     */
    public static void main(final String[] args) throws IOException {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        Path root = Path.of(args[2]);
        Path scratch = Files.createTempDirectory("policy-fuzz");
        List<String> examples = examples(root);
        if (examples.isEmpty()) {
            System.out.println("FAIL seed=" + seed + ": no policy examples found under " + root);
            System.exit(2);
        }
        List<Case> cases = new ArrayList<>(handMade(scratch));
        for (String example : examples) {
            cases.add(new Case("example", "example.yaml", example, null));
        }
        cases.addAll(mutations(examples, seed, count));
        PolicyReader reader = new PolicyReader();
        long[] nanos = new long[cases.size()];
        int accepted = 0;
        int refused = 0;
        int failed = 0;
        int slowest = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            long start = System.nanoTime();
            String problem = null;
            try {
                if (c.file() != null) {
                    reader.read(c.file());
                }
                else {
                    reader.parse(c.source(), c.text());
                }
                accepted++;
            }
            catch (PolicyException e) {
                refused++;
                problem = checkMessage(e.getMessage());
            }
            catch (Throwable e) { // an OutOfMemoryError or StackOverflowError is a failed case, not a crash
                problem = "threw " + e.getClass().getName() + ": " + e.getMessage();
            }
            nanos[i] = System.nanoTime() - start;
            slowest = nanos[i] > nanos[slowest] ? i : slowest;
            if (problem != null) {
                failed++;
                System.out.println("FAIL seed=%d case=%d (%s, %s): %s%n  case: %s".formatted(seed, i, c.kind(), c.source(),
                        oneLine(problem), oneLine(PolicyReader.shorten(c.text() == null ? String.valueOf(c.file()) : c.text()))));
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.println("SUMMARY seed=%d cases=%d accepted=%d refused=%d failed=%d median=%.3fms p99=%.3fms max=%.3fms (%s) maxHeap=%dMiB"
                .formatted(seed, cases.size(), accepted, refused, failed, sorted[sorted.length / 2] / 1e6,
                        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                        sorted[sorted.length - 1] / 1e6, cases.get(slowest).kind(), Runtime.getRuntime().maxMemory() >> 20));
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * Mutates the examples as the fuzzer does: the same seed gives the same cases (PolicySchemaTest compares the
     * reader and the schema on them).
     *
     * @param examples
     *         whole policies
     * @param seed
     *         the seed
     * @param count
     *         how many mutations
     * @return the cases, each a text and a source name ending in .yaml or .json
     */
    static List<Case> mutations(final List<String> examples, final long seed, final int count) {
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String example = examples.get(random.nextInt(examples.size()));
            int mutations = 1 + random.nextInt(3);
            String text = example;
            StringBuilder kinds = new StringBuilder();
            for (int m = 0; m < mutations; m++) {
                int kind = random.nextInt(9);
                kinds.append(m == 0 ? "" : "+").append(kind);
                text = mutate(text, kind, random);
            }
            cases.add(new Case("mutation " + kinds, random.nextInt(10) == 0 ? "mutated.json" : "mutated.yaml", text, null));
        }
        return cases;
    }

    static String checkMessage(final String message) {
        if (message == null || message.isBlank()) {
            return "an empty message";
        }
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            return "a message of more than one line: " + message;
        }
        Matcher java = JAVA_WORDS.matcher(message);
        if (java.find()) {
            return "the message holds '" + java.group() + "': " + message;
        }
        if (message.length() > 800) {
            return "a message of " + message.length() + " characters";
        }
        return null;
    }

    private static String oneLine(final String text) {
        return text.replace("\n", "\\n").replace("\r", "\\r");
    }

    /**
     * @return the whole policies of the docs: the blocks of docs/*.md and README.md marked {@code policy} (see
     *         DocsPolicyBlocksTest), not those of one list item
     */
    static List<String> examples(final Path root) throws IOException {
        return io.jenkins.plugins.rollbackguard.conventions.DocBlocks.of(root).stream()
                .filter(b -> b.marks().equals(List.of(io.jenkins.plugins.rollbackguard.conventions.DocBlocks.POLICY)))
                .filter(b -> !b.language().equals("json")).map(io.jenkins.plugins.rollbackguard.conventions.DocBlocks.Block::text)
                .toList();
    }

    private static String mutate(final String text, final int kind, final Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int line = random.nextInt(lines.size());
        switch (kind) {
            case 0 -> { // insert a character of YAML's syntax
                int at = random.nextInt(text.length() + 1);
                return text.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length())) + text.substring(at);
            }
            case 1 -> { // delete a few characters
                int at = random.nextInt(Math.max(1, text.length()));
                return text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(8)));
            }
            case 2 -> lines.add(line, lines.get(line)); // a duplicate key, or a second list item
            case 3 -> Collections.swap(lines, line, random.nextInt(lines.size()));
            case 4 -> { // replace a value with an odd one
                String l = lines.get(line);
                int colon = l.indexOf(": ");
                lines.set(line, colon < 0 ? l + " " + pick(random) : l.substring(0, colon + 2) + pick(random));
            }
            case 5 -> lines.set(line, (random.nextBoolean() ? "  " : "") + lines.get(line).stripLeading()); // indentation
            case 6 -> { // misspell a key
                String l = lines.get(line);
                int colon = l.indexOf(':');
                if (colon > 1) {
                    int at = random.nextInt(colon);
                    lines.set(line, l.substring(0, at) + (char) ('a' + random.nextInt(26)) + l.substring(at + 1));
                }
            }
            case 7 -> {
                return text.substring(0, random.nextInt(text.length() + 1)); // truncated
            }
            default -> { // a value made very long
                String l = lines.get(line);
                int colon = l.indexOf(": ");
                if (colon > 0) {
                    lines.set(line, l.substring(0, colon + 2) + "'" + "long ".repeat(1 + random.nextInt(20_000)) + "'");
                }
            }
        }
        return String.join("\n", lines);
    }

    private static String pick(final Random random) {
        return VALUES[random.nextInt(VALUES.length)];
    }

    private static List<Case> handMade(final Path scratch) throws IOException {
        List<Case> cases = new ArrayList<>();
        String tenMegabytes = "x".repeat(10 * 1024 * 1024);
        cases.add(new Case("10 MB string", "p.yaml", "environment: prod\nonTrip: '" + tenMegabytes + "'", null));
        Path big = Files.writeString(scratch.resolve("big.yaml"), "environment: '" + tenMegabytes + "'");
        cases.add(new Case("10 MB file", big.toString(), null, big));
        cases.add(new Case("1 MiB value", "p.yaml", "environment: prod\nprobes: [{type: http, name: '"
                + "n".repeat(PolicyReader.MAX_BYTES - 100) + "', url: 'http://x'}]", null));
        cases.add(new Case("100k-deep flow", "p.yaml", "environment: prod\nprobes: " + "[".repeat(100_000) + "]".repeat(100_000), null));
        cases.add(new Case("100k-deep mapping", "p.yaml", "environment: prod\nhooks: " + "{a: ".repeat(100_000) + "}".repeat(100_000), null));
        StringBuilder block = new StringBuilder("environment: prod\nprobes:\n");
        for (int i = 0; i < 2_000; i++) {
            block.append(" ".repeat(i * 2 + 2)).append("-\n");
        }
        cases.add(new Case("2k-deep block", "p.yaml", block.toString(), null));
        cases.add(new Case("100k-deep JSON", "p.json", "{\"environment\": " + "[".repeat(100_000), null));
        cases.add(new Case("duplicate keys", "p.yaml", "environment: prod\nenvironment: test\n", null));
        cases.add(new Case("duplicate nested keys", "p.yaml",
                "environment: prod\nprobes: [{type: http, name: a, url: 'http://x', url: 'http://y'}]", null));
        cases.add(new Case("duplicate JSON keys", "p.json", "{\"environment\": \"a\", \"environment\": \"b\"}", null));
        StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n".formatted(i, i,
                    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1));
        }
        cases.add(new Case("alias bomb", "p.yaml", "environment: prod\n" + laughs, null));
        cases.add(new Case("alias bomb in a field", "p.yaml", "environment: prod\npublicParameters: &x [a, b]\nprobes: *x", null));
        cases.add(new Case("!!java tag", "p.yaml", "environment: !!java.net.URL [http://x]", null));
        cases.add(new Case("!!javax tag", "p.yaml",
                "environment: prod\nprobes: [!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]]", null));
        cases.add(new Case("custom tag", "p.yaml", "environment: !shell rm", null));
        Random junk = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1 + junk.nextInt(4096)];
            junk.nextBytes(bytes);
            Path file = Files.write(scratch.resolve("junk" + i + ".yaml"), bytes);
            cases.add(new Case("binary junk file", file.toString(), null, file));
            cases.add(new Case("binary junk text", "p.yaml", new String(bytes, StandardCharsets.ISO_8859_1), null));
        }
        cases.add(new Case("huge number", "p.yaml", "environment: prod\nkeepGood: " + "9".repeat(5_000), null));
        cases.add(new Case("huge float", "p.yaml", "environment: prod\nkeepGood: 1e999999999", null));
        cases.add(new Case("huge JSON number", "p.json", "{\"environment\": \"prod\", \"keepGood\": " + "9".repeat(5_000) + "}", null));
        cases.add(new Case("long threshold number", "p.yaml", "environment: prod\nprobes: [{type: command, name: c, command: [x],"
                + " failIf: '> " + "9".repeat(400) + "'}]", null));
        Path empty = Files.write(scratch.resolve("empty.yaml"), new byte[0]);
        cases.add(new Case("empty file", empty.toString(), null, empty));
        cases.add(new Case("empty text", "p.yaml", "", null));
        cases.add(new Case("null document", "p.yaml", "~", null));
        cases.add(new Case("a list", "p.yaml", "- environment: prod", null));
        cases.add(new Case("a scalar", "p.json", "\"prod\"", null));
        cases.add(new Case("two documents", "p.yaml", "environment: a\n---\nenvironment: b\n", null));
        cases.add(new Case("byte order mark", "p.yaml", "\uFEFFenvironment: prod", null));
        cases.add(new Case("unquoted >", "p.yaml", "environment: prod\nprobes:\n  - type: command\n    name: c\n    command: [x]\n"
                + "    failIf: > 5%\n", null));
        cases.add(new Case("many probes", "p.yaml", "environment: prod\nprobes:\n"
                + "  - {type: command, name: c, command: [x]}\n".repeat(20_000), null));
        Path directory = Files.createDirectories(scratch.resolve("dir.yaml"));
        cases.add(new Case("a directory", directory.toString(), null, directory));
        cases.add(new Case("no such file", "missing.yaml", null, scratch.resolve("missing.yaml")));
        return cases;
    }

    /** One input: text to parse as {@code source}, or a file to read. */
    record Case(String kind, String source, String text, Path file) {
    }
}
