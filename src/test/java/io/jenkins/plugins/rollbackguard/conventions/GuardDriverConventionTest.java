package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source-level rules for the Jenkins glue of the guard machine, run by the Central-only build (the twins of the
 * ITests that cannot run here):
 * <ul>
 *   <li>every action method ({@code do*} but form checks and fills) is POST only and checks a permission before it
 *       changes anything; one that writes a reason to the ledger (a reset, a broken lease, a mark, a data-version
 *       override) refuses a blank reason first;</li>
 *   <li>the freestyle glue drives the guard machine and nothing else: none of the session's phase methods, no
 *       ledger transition of its own (the machine decides what a deploy's end means);</li>
 *   <li>the freestyle glue serves the machine on a loop that hears the build thread's interrupts (an abort);</li>
 *   <li>every form of a view posts.</li>
 * </ul>
 */
class GuardDriverConventionTest {
    private static final Pattern PERMISSION_CHECK = Pattern.compile("\\b(hasPermission|checkPermission)\\s*\\(");
    private static final Pattern STATE_CHANGE = Pattern.compile(
            "\\b(ledger\\s*\\(\\s*\\)|decisions\\s*\\(\\s*\\)|breakLease\\s*\\(|resetCircuit\\s*\\(|mark\\s*\\(|"
                    + "allowAcrossDataVersion\\s*\\(|schedule\\s*\\()");
    /** What writes a person's reason to the ledger: a reset, a broken lease, a decision (mark, data-version override). */
    private static final Pattern REASON_WRITE = Pattern.compile(
            "\\b(breakLease|resetCircuit|mark|allowAcrossDataVersion)\\s*\\(");
    private static final Pattern BLANK_REASON = Pattern.compile("\\breason\\s*\\.\\s*isBlank\\s*\\(");
    private static final Pattern CALL = Pattern.compile("(?<![\\w$.])([a-z][\\w$]*)\\s*\\(");
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("if", "for", "while", "switch", "catch",
            "synchronized", "return", "new", "throw", "try", "super", "this");
    private static final Pattern PHASE_CALL = Pattern.compile("\\.\\s*(preflightAndRecord|sampleBaselines|"
            + "rememberBaselines|takeBackups|deployFailed|newWatch|trips|transition)\\s*\\(|\\.\\s*(deploying|watching)"
            + "\\s*\\(\\s*[^)\\s]");
    private static final Pattern AWAIT = Pattern.compile("\\.\\s*await\\s*\\(");
    private static final Pattern FORM = Pattern.compile("<(?:f:)?form\\b[^>]*>");
    private static final Pattern METHOD_POST = Pattern.compile("\\bmethod\\s*=\\s*(['\"])post\\1", Pattern.CASE_INSENSITIVE);

    private static final String ACTION = """
            package x;
            public class A implements Action {
                @RequirePOST
                public HttpResponse doGood(@QueryParameter String environment, @QueryParameter String reason) {
                    if (!isAllowed()) { return HttpResponses.forbidden(); }
                    if (reason == null || reason.isBlank()) { return HttpResponses.errorWithoutStack(400, "x"); }
                    queries.ledger().breakLease(EnvironmentName.of(environment), "me", reason);
                    return HttpResponses.redirectTo(".");
                }
                @RequirePOST
                public HttpResponse doUnchecked(@QueryParameter String environment, @QueryParameter String reason) {
                    queries.ledger().breakLease(EnvironmentName.of(environment), "me", reason);
                    return HttpResponses.redirectTo(".");
                }
                @RequirePOST
                public HttpResponse doLate(@QueryParameter String environment) {
                    queries.ledger().resetCircuit(EnvironmentName.of(environment), "r", "me");
                    if (!jenkins.hasPermission(RollbackPermissions.ROLLBACK, job)) { return HttpResponses.forbidden(); }
                    return HttpResponses.redirectTo(".");
                }
                @RequirePOST
                public HttpResponse doNoReasonCheck(@QueryParameter String environment, @QueryParameter String reason) {
                    if (!isAllowed()) { return HttpResponses.forbidden(); }
                    queries.ledger().breakLease(EnvironmentName.of(environment), "me", reason);
                    return HttpResponses.redirectTo(".");
                }
                @RequirePOST
                public HttpResponse doMarkUnchecked(@QueryParameter String environment, @QueryParameter String reason) {
                    if (!isAllowed()) { return HttpResponses.forbidden(); }
                    decisions().mark(EnvironmentName.of(environment), 1, true, "me", reason);
                    return HttpResponses.redirectTo(".");
                }
                public HttpResponse doGet() {
                    if (!isAllowed()) { return HttpResponses.forbidden(); }
                    return HttpResponses.ok();
                }
                public boolean isAllowed() {
                    return jenkins.hasPermission(RollbackPermissions.ROLLBACK, job);
                }
            }
            """;

    /** The freestyle recorder as it was before the guard machine: it drove the phases and wrote the ledger itself. */
    private static final String OLD_RECORDER = """
            class RollbackGuardRecorder {
                void perform() {
                    RollbackPoint point = session.preflightAndRecord(request);
                    point = session.deploying(point, request.actor());
                    services.services().ledger().transition(point.environment(), point.id(), PointStatus.ABORTED,
                            "jenkins", why);
                    outcome = session.deployFailed(point, "failed", reverter);
                    outcome = session.trips().onWatch(point, result, reverter);
                    GuardMachine.Step step = loop.await(machine.start(request, false));
                }
                RollbackPoint deploying() { return deploying; }
                void fine() { guard.deploying(); step = loop.await(machine.start(request, false), this::stopAsked); }
            }
            """;

    @Test
    void shouldCoverTheActionMethodsOfTheJobPage() {
        Path source = ProjectFiles.locate().mainJava()
                .resolve("io/jenkins/plugins/rollbackguard/ui/RollbackPointsJobAction.java");

        assertThat(new JavaSource(ProjectFiles.read(source)).webMethods()).extracting(JavaSource.WebMethod::name)
                .contains("doResetCircuit", "doBreakLease", "doMark", "doRollbackAcrossDataVersion");
    }

    @Test
    void shouldCheckPostAndPermissionBeforeEveryActionMethodChangesAnything() {
        assertThat(ProjectFiles.problemsInMainSources(GuardDriverConventionTest::actionMethodProblems)).isEmpty();
    }

    @Test
    void shouldReportActionMethodsThatAreUncheckedLateOrTakeAnyReason() {
        assertThat(actionMethodProblems("A.java", new JavaSource(ACTION))).containsExactlyInAnyOrder(
                "A.java: doUnchecked does not check a permission (hasPermission or checkPermission, itself or "
                        + "through a method of its class)",
                "A.java: doUnchecked writes a reason to the ledger without refusing a blank one first",
                "A.java: doLate changes state before it checks a permission",
                "A.java: doLate writes a reason to the ledger without refusing a blank one first",
                "A.java: doNoReasonCheck writes a reason to the ledger without refusing a blank one first",
                "A.java: doMarkUnchecked writes a reason to the ledger without refusing a blank one first",
                "A.java: doGet is neither @RequirePOST nor @POST");
    }

    @Test
    void shouldLetTheFreestyleGlueDriveOnlyTheMachine() {
        assertThat(ProjectFiles.problemsInMainSources((file, source) -> file.contains("/freestyle/")
                ? freestyleDriverProblems(file, source) : List.of())).isEmpty();
    }

    @Test
    void shouldReportTheOldPhaseDrivingFreestyleGlue() {
        assertThat(freestyleDriverProblems("RollbackGuardRecorder.java", new JavaSource(OLD_RECORDER)))
                .containsExactly(
                        "RollbackGuardRecorder.java: calls preflightAndRecord(): drive the guard machine instead",
                        "RollbackGuardRecorder.java: calls deploying(): drive the guard machine instead",
                        "RollbackGuardRecorder.java: calls transition(): drive the guard machine instead",
                        "RollbackGuardRecorder.java: calls deployFailed(): drive the guard machine instead",
                        "RollbackGuardRecorder.java: calls trips(): drive the guard machine instead",
                        "RollbackGuardRecorder.java: awaits the machine without hearing the build thread's interrupts "
                                + "(CallerLoop.await(future, onInterrupt))");
    }

    @Test
    void shouldPostEveryForm() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        for (Path view : ProjectFiles.list(project.mainResources(), ".jelly")) {
            problems.addAll(formProblems(project.name(view), ProjectFiles.read(view)));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportAFormThatDoesNotPost() {
        String view = """
                <f:form method="post" action="breakLease" name="ok"><f:textbox name="reason"/></f:form>
                <f:form action="breakLease" name="bad"><f:textbox name="reason"/></f:form>
                <form method="get" action="resetCircuit"></form>
                """;

        assertThat(formProblems("index.jelly", view)).containsExactly(
                "index.jelly: <f:form action=\"breakLease\" name=\"bad\"> does not post",
                "index.jelly: <form method=\"get\" action=\"resetCircuit\"> does not post");
    }

    /** Checks the action methods of a source: POST, a permission checked before any change, a reason checked. */
    static List<String> actionMethodProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        String code = source.code();
        for (JavaSource.WebMethod method : source.webMethods()) {
            if (!method.isPublic() || method.name().startsWith("doCheck") || method.name().startsWith("doFill")) {
                continue; // form checks and fills: WebMethodConventionTest
            }
            String where = file + ": " + method.name();
            if (!method.hasAnnotation("POST") && !method.hasAnnotation("RequirePOST")) {
                problems.add(where + " is neither @RequirePOST nor @POST");
            }
            int permission = firstPermissionCheck(code, method.body());
            int change = firstMatch(STATE_CHANGE, method.body());
            if (permission < 0) {
                problems.add(where + " does not check a permission (hasPermission or checkPermission, itself or "
                        + "through a method of its class)");
            }
            else if (change >= 0 && change < permission) {
                problems.add(where + " changes state before it checks a permission");
            }
            int reasonWrite = firstMatch(REASON_WRITE, method.body());
            int blankCheck = firstMatch(BLANK_REASON, method.body());
            if (reasonWrite >= 0 && (blankCheck < 0 || blankCheck > reasonWrite)) {
                problems.add(where + " writes a reason to the ledger without refusing a blank one first");
            }
        }
        return problems;
    }

    /** Checks that a freestyle source drives the machine only, and hears interrupts while it awaits it. */
    static List<String> freestyleDriverProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        String code = source.code();
        Matcher phase = PHASE_CALL.matcher(code);
        while (phase.find()) {
            String name = phase.group(1) != null ? phase.group(1) : phase.group(2);
            problems.add(file + ": calls " + name + "(): drive the guard machine instead");
        }
        Matcher await = AWAIT.matcher(code);
        while (await.find()) {
            if (!hasTopLevelComma(code, await.end())) {
                problems.add(file + ": awaits the machine without hearing the build thread's interrupts "
                        + "(CallerLoop.await(future, onInterrupt))");
            }
        }
        return problems;
    }

    /** Checks that every form of a view posts. */
    static List<String> formProblems(final String file, final String jelly) {
        List<String> problems = new ArrayList<>();
        Matcher form = FORM.matcher(jelly);
        while (form.find()) {
            if (!METHOD_POST.matcher(form.group()).find()) {
                problems.add(file + ": " + form.group() + " does not post");
            }
        }
        return problems;
    }

    /**
     * Finds where a method body first checks a permission: itself, or by calling a method of the same source whose
     * body checks one (one level deep, as {@code isResetAllowed()} does).
     */
    private static int firstPermissionCheck(final String code, final String body) {
        int direct = firstMatch(PERMISSION_CHECK, body);
        int best = direct;
        Matcher call = CALL.matcher(body);
        while (call.find()) {
            if (best >= 0 && call.start() > best) {
                break;
            }
            if (KEYWORDS.contains(call.group(1))) {
                continue;
            }
            Optional<String> callee = methodBody(code, call.group(1));
            if (callee.isPresent() && PERMISSION_CHECK.matcher(callee.get()).find()) {
                best = best < 0 ? call.start() : Math.min(best, call.start());
                break;
            }
        }
        return best;
    }

    private static int firstMatch(final Pattern pattern, final String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.start() : -1;
    }

    /** The body of the first method of a source declared with a name (not a call: a type stands before it). */
    private static Optional<String> methodBody(final String code, final String name) {
        Matcher declaration = Pattern.compile("[\\w$>\\]]\\s+" + Pattern.quote(name)
                + "\\s*\\([^;{)]*\\)\\s*(?:throws\\s[^;{]+)?\\{").matcher(code);
        if (!declaration.find()) {
            return Optional.empty();
        }
        int open = declaration.end() - 1;
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return Optional.of(code.substring(open + 1, i));
            }
        }
        return Optional.empty();
    }

    /** Tells whether the argument list that opens before {@code from} has more than one argument. */
    private static boolean hasTopLevelComma(final String code, final int from) {
        int depth = 1;
        for (int i = from; i < code.length() && depth > 0; i++) {
            char c = code.charAt(i);
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            }
            else if (c == ')' || c == '}' || c == ']') {
                depth--;
            }
            else if (c == ',' && depth == 1) {
                return true;
            }
        }
        return false;
    }
}
