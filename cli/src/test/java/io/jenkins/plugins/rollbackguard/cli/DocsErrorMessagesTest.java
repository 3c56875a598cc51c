package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.conventions.DocBlocks;
import picocli.CommandLine;

/**
 * Every message quoted in a block marked {@code error} in docs/*.md or README.md ({@code ```text error}) is what the
 * real CLI prints: each line that is not a command ({@code $ ...}) or an elision ({@code ...}) has a producer here
 * that runs the CLI in this JVM on the input that causes it, and the line must be one of the lines it printed. A
 * message quoted elsewhere in prose (inline, or in an unmarked block) that has the form of a policy or preflight error
 * fails the test, so a quoted error cannot escape by not being marked; a producer no docs line uses fails it too.
 */
class DocsErrorMessagesTest {
    /** A line of an error block that is no message: a command, an elision, an exit code. */
    private static final Pattern NOT_A_MESSAGE = Pattern.compile("^(\\$ .*|\\.\\.\\.|\\d+)$");
    /** What an error message of the reader or preflight looks like, quoted anywhere. */
    private static final Pattern LOOKS_LIKE_AN_ERROR = Pattern.compile(
            "^(rollback-guard: |[\\w./-]+\\.(yaml|yml|json): )|^[\\w\\[\\].]+: (expected .* at position \\d+|unknown field"
                    + " '|'[^']*' is not a valid|no secret named)");
    private static final Pattern INLINE_CODE = Pattern.compile("(?<!`)`([^`\\n]+)`(?!`)");

    @TempDir
    private Path dir;

    /** The docs' messages and how each is produced: the policy file's text, read by {@code validate}. */
    private Map<String, Function<Path, List<String>>> producers() {
        Map<String, Function<Path, List<String>>> producers = new LinkedHashMap<>();
        producers.put("rollback-guard: policy.yaml: probes[1]: api.failIf: expected a number at position 2 in '>> 5'",
                d -> validate(d, """
                        environment: prod
                        probes:
                          - {type: http, name: web, url: 'https://shop.example/'}
                          - {type: http, name: api, url: 'https://shop.example/api', jsonPointer: /errors, failIf: '>> 5'}
                        """));
        producers.put("rollback-guard: policy.yaml: environment: '../etc' is not a valid name: use 1 to 64 letters,"
                + " digits, '.', '_' or '-', starting with a letter or digit, without '..'",
                d -> validate(d, "environment: ../etc\n"));
        producers.put("rollback-guard: policy.yaml: onTrpi: unknown field 'onTrpi'; did you mean 'onTrip'?",
                d -> validate(d, "environment: prod\nonTrpi: rollback\n"));
        producers.put("rollback-guard: policy.yaml: keepGood: 'five' is not a valid whole number",
                d -> validate(d, "environment: prod\nkeepGood: five\n"));
        producers.put("rollback-guard: policy.yaml: the key 'environment' is given twice at line 7, column 12; keep one"
                + " of them", d -> validate(d, """
                        environment: prod
                        probes:
                          - type: http
                            name: web
                            url: 'https://shop.example/'
                        onTrip: rollback
                        environment: test
                        """));
        producers.put("rollback-guard: policy.yaml: not valid YAML at line 6, column 11: while scanning a block scalar"
                + " (line 6, column 13); expected a comment or a line break, but found 5(53) (line 6, column 15); a"
                + " threshold that starts with '>' must be quoted, e.g. failIf: \"> 5%\"", d -> validate(d, """
                        environment: prod
                        probes:
                          - type: command
                            name: queue
                            command: [queue-depth]
                            failIf: > 5%
                        """));
        producers.put("rollback-guard: policy.yaml: probes[0]: web.failIf: expected a number at position 3 in '> '",
                d -> validate(d, """
                        environment: prod
                        probes:
                          - {type: http, name: web, url: 'https://shop.example/', failIf: '> '}
                        """));
        producers.put("rollback-guard: policy.yaml: allowDataRestore: '0' is not a boolean; write true or false",
                d -> validate(d, "environment: prod\nallowDataRestore: 0\n"));
        producers.put("rollback-guard: policy.yaml: probes[0].auth: bearerSecret: expects the name of a secret (1-128"
                + " letters, digits and _ . : / -), not a value (the 25 characters given are not repeated here); set"
                + " SHOP_TOKEN=... in the environment (or a credentials id in Jenkins) and write bearerSecret: SHOP_TOKEN",
                d -> validate(d, """
                        environment: prod
                        probes:
                          - {type: http, name: web, url: 'https://shop.example/', auth: {bearerSecret: 'Bearer s3cr3t t0ken 12345'}}
                        """));
        producers.put("rollback-guard: policy.yaml: probes[0].auth.bearerSecret: expects the name of a secret, and no"
                + " secret has the name given, which looks like a secret value (18 characters, not shown); set"
                + " SHOP_TOKEN=... (or a credentials id in Jenkins) and write bearerSecret: SHOP_TOKEN; nothing was"
                + " recorded or run",
                d -> validate(d, """
                        environment: prod
                        probes:
                          - {type: http, name: web, url: 'https://shop.example/', auth: {bearerSecret: ghp_16C7e42F292c69}}
                        """));
        producers.put("rollback-guard: policy.yaml: backups[0].passwordSecret: no secret named 'PG_PROD' is available;"
                + " define it (an environment variable for the command line, a credentials id in Jenkins) or correct the"
                + " name; nothing was recorded or run", d -> validate(d, """
                        environment: prod
                        backups:
                          - {type: postgres, host: db.internal, database: shop, user: shop, passwordSecret: PG_PROD}
                        """));
        producers.put("rollback-guard: deploy/policy.yaml: probes[0].auth.bearerSecret: no secret named 'SHOP_TOKEN' is"
                + " available; define it (an environment variable for the command line, a credentials id in Jenkins) or"
                + " correct the name; nothing was recorded or run", d -> deploy(d, "deploy/policy.yaml", """
                        environment: production
                        probes:
                          - {type: http, name: web, url: 'https://shop.example/', auth: {bearerSecret: SHOP_TOKEN}}
                        """, null));
        producers.put("rollback-guard: probes[0] (error-rate): http://shop.internal:8080/api/stats cannot be reached"
                + " (connection refused); nothing was recorded or run. Check the URL; if the service is down and this"
                + " deploy is its fix, deploy without this check: rollback-guard deploy --no-reach, or preflight:"
                + " {reach: false} in the policy", d -> {
                    int port = closedPort();
                    return deploy(d, "shop.yaml", """
                            environment: production
                            probes:
                              - {type: http, name: error-rate, url: 'http://127.0.0.1:%d/api/stats'}
                            """.formatted(port), "http://127.0.0.1:" + port);
                });
        producers.put("rollback-guard: defaults.yaml: watch: is not a setting a host may default; the file takes"
                + " interval, duration, failureLimit, consecutiveErrorLimit, cooldown, keepGood, and every other setting"
                + " belongs in the policy",
                d -> validateWithDefaults(d, "interval: 30s\nwatch: 5m\n"));
        producers.put("rollback-guard: defaults.yaml: interval: must be positive, got '0s'; correct it, or remove the line"
                + " for the engine's default", d -> validateWithDefaults(d, "interval: 0s\n"));
        producers.put("rollback-guard: defaults.yaml: keepGood: must be at least 1, got 0; correct it, or remove the line"
                + " for the engine's default", d -> validateWithDefaults(d, "cooldown: 1h\nkeepGood: 0\n"));
        return producers;
    }

    /**
     * The quoted lines of error blocks that no producer here makes, each with why: abridged transcripts whose
     * messages the named tests assert whole.
     */
    private static final Map<String, String> PRODUCED_ELSEWHERE = Map.of(
            "rollback-guard: environment 'production' waits for a decision: production#7 (cli 4f1c...) was INTERRUPTED",
            "abridged with '...' (the run id, the cause); DecisionsTest asserts the message, DecisionsCliE2ETest the"
                    + " CLI's refusal",
            "[      +8.9s] verdict   BAD: error-rate FAILED: 0.12; failIf > 5%; 2 failures exceed failureLimit 1; ...",
            "abridged timeline of a resumed watch; DecisionsCliE2ETest runs it",
            "[      +9.0s] revert    revert production#7 (...) to production#6 (...): newest good point",
            "abridged timeline of a resumed watch; DecisionsCliE2ETest runs it",
            "result: REVERTED - restored production: production#8 (cli revert-7-to-6) is GOOD; production#7 (...) is"
                    + " REVERTED", "abridged summary of a resumed watch; DecisionsCliE2ETest runs it",
            "circuit: OPEN since ... by guard (frozen: deploys are refused until rollback-guard reset)",
            "abridged summary of a resumed watch; DecisionsCliE2ETest runs it");

    @Test
    void shouldProduceEveryErrorTheDocsQuote() {
        Path root = ProjectRoot.locate();
        Map<String, Function<Path, List<String>>> producers = producers();
        List<String> problems = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        int messages = 0;
        for (DocBlocks.Block block : DocBlocks.of(root)) {
            if (!block.marked(DocBlocks.ERROR)) {
                continue;
            }
            for (String line : block.text().split("\n")) {
                if (line.isBlank() || NOT_A_MESSAGE.matcher(line.strip()).matches()) {
                    continue;
                }
                if (PRODUCED_ELSEWHERE.keySet().stream().anyMatch(line::startsWith)) {
                    continue;
                }
                messages++;
                Function<Path, List<String>> producer = producers.get(line);
                if (producer == null) {
                    problems.add(block.where() + ": no test produces '" + line + "'; add its producer to "
                            + getClass().getSimpleName());
                    continue;
                }
                used.add(line);
                List<String> printed = producer.apply(fresh());
                if (!printed.contains(line)) {
                    problems.add(block.where() + ": the CLI prints%n  %s%nnot%n  %s".formatted(String.join("\n  ", printed),
                            line));
                }
            }
        }
        Set<String> unused = new LinkedHashSet<>(producers.keySet());
        unused.removeAll(used);
        System.out.printf("error messages quoted in error blocks: %d, producers: %d%n", messages, producers.size());
        assertThat(problems).isEmpty();
        assertThat(unused).as("producers of messages no docs block quotes (remove them, or quote the message)").isEmpty();
        assertThat(messages).as("messages quoted").isGreaterThanOrEqualTo(8);
    }

    @Test
    void shouldFindEveryQuotedErrorOutsideAnErrorBlock() {
        assertThat(unmarkedErrors(ProjectRoot.locate())).isEmpty();
    }

    @Test
    void shouldCatchAnUnmarkedErrorAndAWrongOne() throws IOException {
        Path root = dir.resolve("project");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/x.md"), """
                A parse error reads `probes[0].failIf: expected a number at position 3 in '> '`.

                ```
                rollback-guard: policy.yaml: keepGood: 'five' is not a whole number
                ```
                """);
        assertThat(unmarkedErrors(root)).containsExactlyInAnyOrder(
                "docs/x.md: `probes[0].failIf: expected a number at position 3 in '> '` is an error message outside a"
                        + " ```text error block, so no test produces it",
                "docs/x.md:3: rollback-guard: policy.yaml: keepGood: 'five' is not a whole number is an error message"
                        + " outside a ```text error block, so no test produces it");
        // and a wrong quote in an error block is not what the CLI prints
        assertThat(producers().get("rollback-guard: policy.yaml: keepGood: 'five' is not a valid whole number")
                .apply(fresh())).doesNotContain("rollback-guard: policy.yaml: keepGood: 'five' is not a whole number");
    }

    /** @return the quoted errors that are not in an error block: inline in prose, or in another block */
    static List<String> unmarkedErrors(final Path root) {
        List<String> problems = new ArrayList<>();
        for (DocBlocks.Block block : DocBlocks.of(root)) {
            if (block.marked(DocBlocks.ERROR) || !List.of("", "text", "console").contains(block.language())) {
                continue;
            }
            for (String line : block.text().split("\n")) {
                if (LOOKS_LIKE_AN_ERROR.matcher(line.strip()).find() && !line.strip().startsWith("rollback-guard: stop")) {
                    problems.add(block.where() + ": " + line.strip() + " is an error message outside a ```text error"
                            + " block, so no test produces it");
                }
            }
        }
        for (Path file : DocBlocks.files(root)) {
            String prose;
            try {
                prose = Files.readString(file).replaceAll("(?ms)^ {0,12}(`{3,}|~{3,}).*?^ {0,12}\\1\\s*$", "");
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher code = INLINE_CODE.matcher(prose);
            while (code.find()) {
                if (LOOKS_LIKE_AN_ERROR.matcher(code.group(1)).find()) {
                    problems.add(root.relativize(file) + ": `" + code.group(1) + "` is an error message outside a"
                            + " ```text error block, so no test produces it");
                }
            }
        }
        return problems;
    }

    private Path fresh() {
        try {
            return Files.createTempDirectory(dir, "case");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code rollback-guard validate --policy <dir>/policy.yaml} in this JVM.
     *
     * @return the lines it printed to standard error and output, the case's directory shown as the docs show a
     *         policy given by a relative name
     */
    private static List<String> validate(final Path dir, final String policy) {
        try {
            Files.writeString(dir.resolve("policy.yaml"), policy);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run(dir, "validate", "--policy", dir.resolve("policy.yaml").toString());
    }

    /** Runs {@code rollback-guard validate --home <dir> --policy <dir>/policy.yaml} with that defaults.yaml in the home. */
    private static List<String> validateWithDefaults(final Path dir, final String defaults) {
        try {
            Files.writeString(dir.resolve("defaults.yaml"), defaults);
            Files.writeString(dir.resolve("policy.yaml"), "environment: prod\n");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run(dir, "validate", "--home", dir.toString(), "--policy", dir.resolve("policy.yaml").toString());
    }

    /**
     * Runs {@code rollback-guard deploy --policy <file> --artifact <dir>/shop.jar --ledger <dir>/ledger -- true} in
     * this JVM, with the home directory in the case's directory.
     *
     * @param machine
     *         a part of the output that varies by machine (a closed port's URL), shown as the docs show it, or null
     */
    private static List<String> deploy(final Path dir, final String file, final String policy, final String machine) {
        String home = System.getProperty("user.home");
        try {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), policy);
            Files.writeString(dir.resolve("shop.jar"), "shop");
            System.setProperty("user.home", dir.toString()); // ROLLBACK_GUARD_HOME is not set in the build
            List<String> lines = run(dir, "deploy", "--policy", dir.resolve(file).toString(), "--artifact",
                    dir.resolve("shop.jar").toString(), "--home", dir.toString(), "--", "true");
            return machine == null ? lines : lines.stream().map(l -> l.replace(machine, "http://shop.internal:8080")).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finally {
            System.setProperty("user.home", home);
        }
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed when this returns: a connection is refused
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> run(final Path dir, final String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RollbackGuardCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        commandLine.execute(args);
        String text = (err + "\n" + out).replace(dir + "/", "");
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The project root, where docs/ is, from the build's working directory (the project or cli/). */
    static final class ProjectRoot {
        private ProjectRoot() {
        }

        static Path locate() {
            Path at = Path.of("").toAbsolutePath();
            while (at != null && !Files.isRegularFile(at.resolve("docs/policy.md"))) {
                at = at.getParent();
            }
            if (at == null) {
                throw new IllegalStateException("docs/policy.md not found above " + Path.of("").toAbsolutePath());
            }
            return at;
        }
    }
}
