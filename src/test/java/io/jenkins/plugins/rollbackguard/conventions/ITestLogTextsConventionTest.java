package io.jenkins.plugins.rollbackguard.conventions;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code *ITest}s never run here (no Jenkins Maven repository), so a text one expects and the code no longer
 * prints would only fail in CI, or never: every text an ITest expects in a build log ({@code assertLogContains},
 * {@code waitForMessage}) or expects to be absent ({@code assertLogNotContains}, which proves nothing about a text
 * nobody prints), and every literal it expects in a page, a response or a form check's message ({@code
 * asNormalizedText()}, {@code getContentAsString()}, {@code getMessage()} then {@code contains}, {@code
 * doesNotContain} or {@code isEqualTo}) must be one that can be printed. It can be when it is part of a rendering of
 * a string of src/main (a Java string, a {@code .properties} value, a view's text, their placeholders standing for
 * values), of the test's own script or helper, or a text Jenkins prints ({@link #JENKINS_TEXTS}), or when it names an
 * enum constant of src/main (an outcome printed by its name); a few texts made of several strings are listed with
 * their parts ({@link #COMPOSED}, {@link #FORMATTED}). Proven on deliberately bad snippets.
 */
class ITestLogTextsConventionTest {
    /** Texts Jenkins and its plugins print (format specifiers for their values), with where they come from. */
    static final Map<String, String> JENKINS_TEXTS = Map.of(
            "Started by user", "jenkins-core hudson.model.Cause$UserIdCause: Messages Cause.UserIdCause.ShortDescription",
            "Running on %s in %s", "workflow-durable-task-step ExecutorStepExecution: \"Running on \" + node + \" in \" + "
                    + "workspace",
            "Stage \"%s\" skipped due to when conditional", "pipeline-model-definition ModelInterpreter: the echo of a "
                    + "stage a when condition skips");

    /**
     * Texts printed from several strings of src/main, one inside another's placeholder, with the parts printed by
     * those strings: each part must be printable, they occur in the text in order, and they cover half of it at least
     * (what lies between them is a frame with values).
     */
    static final Map<String, List<String>> COMPOSED = Map.of(
            "probes[0].command: 'no-such-checker-xyz' is not on the PATH", // FileChecks.program: "%s: '%s' %s"
            List.of("probes[0].command", "is not on the PATH"),
            "held by jenkins:shop#1", // the lease's refusal "held by %s since" and LeaseOwners.JENKINS + the build's id
            List.of("held by ", "jenkins:"),
            "held by a build of a job you cannot see", // the job page's "held by {0} since" and its HiddenOwner
            List.of("held by ", "a build of a job you cannot see"),
            // ExplainedPolicy.fromHost: "%s from %s" with a value and RollbackGuardConfiguration's source
            "cooldown 1h from Jenkins global configuration", List.of(" from ", "Jenkins global configuration"),
            "shop #1", List.of("shop", " #"), // PointSource.describe: job + " #" + build
            "payroll #1", List.of("payroll", " #"),
            // DrillStepExecution: "rollbackGuardDrill: " + Drill.checkName's "... or %s" with its ALLOW
            "rollbackGuardDrill: environment 'production' looks like production: a drill deploys an older version "
                    + "there; use a staging environment or allowProduction: true",
            List.of("rollbackGuardDrill: ", "environment 'production' looks like production: a drill deploys an older "
                    + "version there; use a staging environment or ", "allowProduction: true"),
            // TripHandler: "WARNING: " + the revert's data warning, RollbackPlanner's "the schema stays forward at %s: ..."
            "WARNING: the schema stays forward at 2", List.of("WARNING: ", "the schema stays forward at "));

    /**
     * Texts too short to tell by their fixed characters, each with the format string of src/main that prints it and
     * the values it is printed with: the format must be a string of src/main and give the text.
     */
    static final Map<String, List<Object>> FORMATTED = Map.of(
            "0.0 %", List.of("%.1f %%", 0.0), // EnvironmentView.getChangeFailureRate
            // DataRollback.window: a business table's rows written since the backup
            "orders +1 (2 then, 3 now)", List.of("%s %+d (%d then, %d now)", "orders", 1L, 2L, 3L));

    private static final Pattern LOG_ASSERTION = Pattern.compile(
            "\\b(assertLogContains|assertLogNotContains|waitForMessage)\\s*\\(");
    /** A page's or a response's text, or a form check's message, asserted to hold or be texts: every argument. */
    private static final Pattern PAGE_ASSERTION = Pattern.compile(
            "\\b(?:asNormalizedText|getContentAsString|getMessage)\\(\\)\\)\\s*\\.(?:contains|doesNotContain|isEqualTo)\\s*\\(");
    private static final Pattern CONSTANT = Pattern.compile("\\b[A-Z][A-Z0-9_]{2,}\\b");

    @Test
    void shouldExpectOnlyLogTextsTheCodeOrTheTestPrints() {
        ProjectFiles project = ProjectFiles.locate();
        Printed main = Printed.ofMain(project);
        List<String> problems = new ArrayList<>();
        int expected = 0;

        for (Path itest : ProjectFiles.list(project.root().resolve("src/test/java"), "ITest.java")) {
            List<String> helpers = ProjectFiles.list(itest.getParent(), ".java").stream()
                    .filter(file -> file.getParent().equals(itest.getParent()))
                    .filter(file -> !file.getFileName().toString().endsWith("Test.java"))
                    .map(ProjectFiles::read).toList();
            List<Expected> texts = expectedTexts(ProjectFiles.read(itest));
            expected += texts.size();
            problems.addAll(problems(project.name(itest), ProjectFiles.read(itest), helpers, main));
        }

        assertThat(expected).as("log texts the ITests expect").isGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportATextThatNothingPrints() {
        Printed main = Printed.of(List.of("""
                class Watch {
                    void watch() {
                        timeline.add("watch", "watching %d probe(s): %s".formatted(size, names));
                        listener.info("environment '" + env + "' is busy");
                    }
                }
                """), List.of("GuardOutcome.Bad=The deploy of {0} is bad."));
        String itest = """
                class WatchITest {
                    void should(JenkinsRule j) throws Exception {
                        WorkflowJob job = createJob(j, "node { echo 'deploying ${env.BUILD_NUMBER} now' }");
                        j.waitForMessage("watching 1 probe(s)", build);
                        j.assertLogContains("environment 'prod' is busy", build);
                        j.assertLogContains("The deploy of #2 is bad.", build);
                        j.assertLogContains("deploying 3 now", build);
                        j.assertLogNotContains("Started by user", build);
                        j.waitForMessage("watching 1 probes", build);
                        j.assertLogContains("environment 'prod' is " + "frozen", build);
                        j.assertLogNotContains("BODY RAN", build);
                        j.assertLogContains(MESSAGE, build);
                        HtmlPage page = wc.goTo("rollback-guard/");
                        assertThat(page.asNormalizedText()).contains(ENVIRONMENT, "The deploy of #3 is bad.");
                        assertThat(page.getWebResponse().getContentAsString()).contains("watching 2 probe(s)");
                        assertThat(page.asNormalizedText()).contains("held by nobody").doesNotContain(SECRET);
                        assertThat(page.asNormalizedText()).contains("0.0 %");
                    }
                }
                """;

        assertThat(problems("WatchITest.java", itest, List.of(), main)).containsExactly(
                problem(9, "watching 1 probes"), problem(10, "environment 'prod' is frozen"), problem(11, "BODY RAN"),
                "WatchITest.java:12: expects a log text that is no string literal: write the text itself, so that "
                        + "this convention can check it",
                problem(16, "held by nobody"), problem(17, "0.0 %"));
    }

    private static String problem(final int line, final String text) {
        return ("WatchITest.java:%d: expects the text '%s', which neither src/main (a Java string, a view or its "
                + "properties) nor the test's own script prints: expect what the code prints now (for a text Jenkins "
                + "prints, add it to JENKINS_TEXTS with where it comes from)").formatted(line, text);
    }

    @Test
    void shouldAcceptAnOutcomePrintedByItsNameAndATextOfTheTestsHelper() {
        Printed main = Printed.of(List.of("""
                enum Result { GOOD, REVERT_FAILED }
                class Done {
                    void done() { listener.println("[rollback-guard] %s: %s".formatted(result, why)); }
                }
                """), List.of());
        String helper = """
                final class Pipelines {
                    static String deploy() {
                        return \"""
                                node {
                                  echo "deploying ${readFile 'app.txt'} rollback=${env.ROLLBACK_GUARD_IS_ROLLBACK}"
                                }
                                \""";
                    }
                }
                """;
        String itest = """
                class DeployITest {
                    void should(JenkinsRule j) throws Exception {
                        j.assertLogContains("REVERT_FAILED", build);
                        j.assertLogContains("[rollback-guard] GOOD", build);
                        j.assertLogContains("deploying v1 rollback=true", build);
                        j.assertLogContains("deploying v" + build.getNumber() + " ", build);
                        j.assertLogContains("REVERTED", build);
                    }
                }
                """;

        assertThat(problems("DeployITest.java", itest, List.of(helper), main)).singleElement().asString()
                .startsWith("DeployITest.java:7: expects the text 'REVERTED'");
    }

    /**
     * Checks the log texts one ITest expects.
     *
     * @param file
     *         the ITest's name, for the messages
     * @param itest
     *         its source
     * @param helpers
     *         the sources of the test helpers next to it (the Pipeline scripts it runs)
     * @param main
     *         what src/main prints
     * @return one line per text nothing prints
     */
    static List<String> problems(final String file, final String itest, final List<String> helpers, final Printed main) {
        List<Expected> texts = expectedTexts(itest);
        List<String> script = new ArrayList<>();
        for (LogTexts.Literal literal : LogTexts.literals(itest)) {
            if (texts.stream().noneMatch(text -> text.contains(literal))) {
                script.add(LogTexts.scriptTemplate(literal.text()));
            }
        }
        helpers.forEach(helper -> LogTexts.literals(helper).forEach(l -> script.add(LogTexts.scriptTemplate(l.text()))));
        List<String> problems = new ArrayList<>();
        for (Expected text : texts) {
            if (text.pieces().isEmpty() && text.log()) {
                problems.add("%s:%d: expects a log text that is no string literal: write the text itself, so that this "
                        .formatted(file, text.line()) + "convention can check it");
                continue;
            }
            for (String piece : text.pieces()) {
                if (!main.canPrint(piece) && !canPrint(piece, script) && !composed(piece, main, script)
                        && !main.formats(piece)) {
                    problems.add(("%s:%d: expects the text '%s', which neither src/main (a Java string, a view or its "
                            + "properties) nor the test's own script prints: expect what the code prints now "
                            + "(for a text Jenkins prints, add it to JENKINS_TEXTS with where it comes from)")
                            .formatted(file, text.line(), piece));
                }
            }
        }
        return problems;
    }

    /** Whether a text is one of {@link #COMPOSED}: its parts in order, each printable, covering half of it. */
    private static boolean composed(final String text, final Printed main, final List<String> script) {
        List<String> parts = COMPOSED.getOrDefault(text, List.of());
        int from = 0;
        int covered = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            if (at < 0 || !main.canPrint(part) && !canPrint(part, script)) {
                return false;
            }
            from = at + part.length();
            covered += part.length();
        }
        return !parts.isEmpty() && 2 * covered >= text.length();
    }

    private static boolean canPrint(final String text, final List<String> templates) {
        return LogTexts.candidates(text, templates).stream().anyMatch(template -> LogTexts.canPrint(text, template));
    }

    /**
     * Finds the first argument of each log assertion and every argument of each page assertion: their literals,
     * split where a value is concatenated.
     */
    static List<Expected> expectedTexts(final String source) {
        List<Expected> found = new ArrayList<>(expectedTexts(source, LOG_ASSERTION, true));
        found.addAll(expectedTexts(source, PAGE_ASSERTION, false));
        found.sort(java.util.Comparator.comparingInt(Expected::start));
        return found;
    }

    private static List<Expected> expectedTexts(final String source, final Pattern assertion, final boolean log) {
        List<LogTexts.Literal> single = LogTexts.singleLiterals(source);
        List<LogTexts.Literal> joined = LogTexts.literals(source);
        List<Expected> found = new ArrayList<>();
        Matcher call = assertion.matcher(source);
        while (call.find()) {
            if (single.stream().anyMatch(l -> l.start() <= call.start() && call.start() < l.end())) {
                continue; // the name inside a string
            }
            int end = argumentsEnd(source, call.end(), single, log);
            List<String> pieces = new ArrayList<>();
            for (LogTexts.Literal literal : joined) {
                if (literal.start() >= call.end() && literal.end() <= end) {
                    for (String piece : literal.text().split(String.valueOf(LogTexts.ANY))) {
                        if (piece.strip().length() >= 3) {
                            pieces.add(piece);
                        }
                    }
                }
            }
            int line = (int) source.substring(0, call.start()).chars().filter(c -> c == '\n').count() + 1;
            found.add(new Expected(call.end(), end, line, pieces, log));
        }
        return found;
    }

    /** Where the first argument ends (at a comma or the closing parenthesis), or all of them. */
    private static int argumentsEnd(final String source, final int from, final List<LogTexts.Literal> literals,
                                    final boolean first) {
        int depth = 0;
        int i = from;
        while (i < source.length()) {
            int at = i;
            LogTexts.Literal inside = literals.stream().filter(l -> l.start() == at).findFirst().orElse(null);
            if (inside != null) {
                i = inside.end();
                continue;
            }
            char c = source.charAt(i);
            if (depth == 0 && (c == ',' && first || c == ')')) {
                return i;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            i++;
        }
        return i;
    }

    /**
     * A log text an ITest expects.
     *
     * @param start
     *         where its argument starts
     * @param end
     *         where it ends
     * @param line
     *         the line of the assertion
     * @param pieces
     *         its literal pieces (a concatenated value splits it), none when it has no literal
     * @param log
     *         whether it is a log text, which must be a literal (a page's text may be a value the test knows)
     */
    record Expected(int start, int end, int line, List<String> pieces, boolean log) {
        boolean contains(final LogTexts.Literal literal) {
            return literal.start() >= start && literal.end() <= end;
        }
    }

    /** What src/main can print: its strings' templates and its enum constants. */
    static final class Printed {
        private final List<String> templates;
        private final Set<String> constants;
        private final Set<String> literals;

        private Printed(final List<String> templates, final Set<String> constants, final Set<String> literals) {
            this.templates = templates;
            this.constants = constants;
            this.literals = literals;
        }

        static Printed ofMain(final ProjectFiles project) {
            List<String> sources = ProjectFiles.list(project.mainJava(), ".java").stream().map(ProjectFiles::read).toList();
            List<String> messages = ProjectFiles.list(project.mainResources(), ".properties").stream()
                    .map(ProjectFiles::read).toList(); // Messages and the views' own texts
            Printed printed = of(sources, messages);
            ProjectFiles.list(project.mainResources(), ".jelly").forEach(view -> printed.templates.addAll(
                    LogTexts.viewTemplates(ProjectFiles.read(view))));
            return printed;
        }

        /**
         * Reads what sources print.
         *
         * @param sources
         *         Java sources
         * @param messages
         *         the texts of {@code Messages.properties} files
         * @return what they print
         */
        static Printed of(final List<String> sources, final List<String> messages) {
            List<String> templates = new ArrayList<>(JENKINS_TEXTS.keySet().stream().map(LogTexts::javaTemplate).toList());
            Set<String> constants = new HashSet<>();
            Set<String> literals = new HashSet<>();
            for (String source : sources) {
                LogTexts.literals(source).forEach(literal -> templates.add(LogTexts.javaTemplate(literal.text())));
                LogTexts.singleLiterals(source).forEach(literal -> literals.add(literal.text()));
                Matcher constant = CONSTANT.matcher(new JavaSource(source).code());
                while (constant.find()) {
                    constants.add(constant.group());
                }
            }
            for (String text : messages) {
                Properties properties = new Properties();
                try {
                    properties.load(new StringReader(text));
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                templates.addAll(LogTexts.messageTemplates(properties));
            }
            return new Printed(templates, constants, literals);
        }

        /** Whether a text is one of {@link #FORMATTED}, its format a string of these sources that gives it. */
        boolean formats(final String text) {
            List<Object> format = FORMATTED.get(text);
            if (format == null || !literals.contains(format.get(0))) {
                return false;
            }
            return String.format(java.util.Locale.ROOT, (String) format.get(0),
                    format.subList(1, format.size()).toArray()).equals(text);
        }

        boolean canPrint(final String text) {
            return constants.contains(text.strip()) || ITestLogTextsConventionTest.canPrint(text, templates);
        }
    }
}
