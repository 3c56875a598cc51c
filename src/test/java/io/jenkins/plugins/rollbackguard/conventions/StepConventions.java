package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Source checks of the Pipeline step executions, for what the review found against the real Pipeline sources and no
 * type check sees: CPS calls {@code start()}, {@code stop()} and the body callbacks on its VM thread (no I/O there),
 * stops only the innermost step (so a body's interruption must be classified, not judged as a failed deploy), and a
 * step's blocking work must not take the threads the watches sample on. Like {@link Conventions}, each check returns
 * one line per problem, naming the file.
 */
final class StepConventions {
    /** The step execution classes of workflow-step-api a step may extend. */
    private static final Set<String> STEP_EXECUTIONS = Set.of("StepExecution", "AbstractStepExecutionImpl",
            "SynchronousStepExecution", "SynchronousNonBlockingStepExecution", "GeneralNonBlockingStepExecution");
    private static final String BODY_CALLBACK = "BodyExecutionCallback";
    private static final Pattern SAMPLE_POOL = Pattern.compile("\\bSamplePool\\s*\\.");
    /** What decides a deploy: the guard machine's, never a step's. */
    private static final Pattern DECISIONS = Pattern.compile(
            "\\.\\s*(transition|openCircuit|resetCircuit|trips|deployFailed|onWatch|onVerdict|preflightAndRecord|"
                    + "takeBackups|sampleBaselines)\\s*\\(|\\bPointStatus\\s*\\.\\s*[A-Z]");
    /** Blocking or I/O calls that must not run on the CPS VM thread. */
    private static final Pattern BLOCKING = Pattern.compile(
            "\\bLedgerFacade\\b|\\.\\s*getLedger\\s*\\(|\\.\\s*act\\s*\\(|\\bThread\\s*\\.\\s*sleep\\s*\\(|"
                    + "\\.\\s*join\\s*\\(\\s*\\)|\\.\\s*readToString\\s*\\(|\\bnew\\s+GuardHost\\s*\\(|"
                    + "\\bPolicyResolver\\b");
    private static final Set<String> CPS_METHODS = Set.of("start", "stop");
    private static final Set<String> CALLBACK_METHODS = Set.of("onStart", "onSuccess", "onFailure");

    private StepConventions() {
        // static checks only
    }

    /**
     * Checks that no step execution (nor the classes nested in it) hands work to the sample pool: preparation,
     * ledger writes and reverts block, and four blocked sample threads stall every watch on the controller (M5).
     */
    static List<String> samplePoolProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (String type : stepExecutions(source)) {
            if (SAMPLE_POOL.matcher(body(source, type)).find()) {
                problems.add(file + ": " + type + " uses the SamplePool; a step's work belongs on the WorkPool");
            }
        }
        return problems;
    }

    /**
     * Checks that no step execution decides about a deploy itself (moves a point, opens a circuit, judges a verdict):
     * the guard machine does, and writes where it stands to the ledger; the glue only maps Jenkins events onto it.
     */
    static List<String> decisionProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (String type : stepExecutions(source)) {
            Matcher decision = DECISIONS.matcher(body(source, type));
            while (decision.find()) {
                problems.add(file + ": " + type + " decides about the deploy itself (" + decision.group().strip()
                        + "); the guard machine does");
            }
        }
        return problems;
    }

    /**
     * Checks that {@code start()}, {@code stop()} and the body callbacks do no I/O and never block: CPS runs them on
     * its VM thread (and gives {@code stop} 30 seconds).
     */
    static List<String> cpsThreadProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (String type : source.declaredTypes()) {
            Set<String> methods = isStepExecution(source, type) ? CPS_METHODS
                    : isBodyCallback(source, type) ? CALLBACK_METHODS : Set.of();
            for (String method : methods) {
                for (String code : methodBodies(source.ownBody(type).orElse(""), method)) {
                    Matcher blocking = BLOCKING.matcher(code);
                    while (blocking.find()) {
                        problems.add(file + ": " + type + "." + method + "() runs on the CPS VM thread and calls "
                                + blocking.group().strip() + "; hand it to the work pool");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Checks that a step execution whose body can be interrupted classifies the interruption: CPS stops only the
     * innermost step on an abort or an enclosing {@code timeout}, so the body's {@code FlowInterruptedException},
     * not {@code stop()}, is what tells a guard it was aborted (M1).
     */
    static List<String> bodyInterruptionProblems(final String file, final JavaSource source) {
        boolean hasCallback = source.declaredTypes().stream().anyMatch(type -> isBodyCallback(source, type));
        if (!hasCallback || stepExecutions(source).isEmpty() || source.code().contains("InterruptionCauses")) {
            return List.of();
        }
        return List.of(file + ": a body callback that does not classify the body's interruption (InterruptionCauses)"
                + "; an abort would be judged as a failed deploy");
    }

    private static List<String> stepExecutions(final JavaSource source) {
        return source.declaredTypes().stream().filter(type -> isStepExecution(source, type)).toList();
    }

    private static boolean isStepExecution(final JavaSource source, final String type) {
        return source.superclass(type).map(StepConventions::simple).filter(STEP_EXECUTIONS::contains).isPresent();
    }

    private static boolean isBodyCallback(final JavaSource source, final String type) {
        return source.superclass(type).map(StepConventions::simple)
                .filter(name -> name.equals(BODY_CALLBACK) || name.equals("TailCall")).isPresent();
    }

    private static String simple(final String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** The whole body of a type, nested types included (a step's callback and helpers act for it). */
    private static String body(final JavaSource source, final String type) {
        Matcher declaration = Pattern.compile("\\b(?:class|record|enum|interface)\\s+" + Pattern.quote(type) + "\\b")
                .matcher(source.code());
        if (!declaration.find()) {
            return "";
        }
        int open = source.code().indexOf('{', declaration.end());
        return source.code().substring(open, matchingBrace(source.code(), open) + 1);
    }

    /** The bodies of the methods of a name declared in a class body (overloads included). */
    static List<String> methodBodies(final String classBody, final String method) {
        List<String> bodies = new ArrayList<>();
        Matcher declaration = Pattern.compile("\\b" + Pattern.quote(method)
                + "\\s*\\([^;{)]*\\)\\s*(?:throws\\s[^;{]+)?\\{").matcher(classBody);
        while (declaration.find()) {
            int open = declaration.end() - 1;
            if (isDeclaration(classBody, declaration.start())) {
                bodies.add(classBody.substring(open, matchingBrace(classBody, open) + 1));
            }
        }
        return bodies;
    }

    /** A declaration has a return type or modifier before its name; a call inside a lambda does not. */
    private static boolean isDeclaration(final String code, final int nameStart) {
        Optional<String> before = previousToken(code, nameStart);
        return before.isPresent() && before.get().matches("[\\w$<>\\[\\]?]+") && !before.get().equals("new")
                && !before.get().equals("return");
    }

    private static Optional<String> previousToken(final String code, final int end) {
        int i = end - 1;
        while (i >= 0 && Character.isWhitespace(code.charAt(i))) {
            i--;
        }
        int stop = i;
        while (i >= 0 && !Character.isWhitespace(code.charAt(i)) && code.charAt(i) != '.' && code.charAt(i) != '('
                && code.charAt(i) != ';' && code.charAt(i) != '{' && code.charAt(i) != '}') {
            i--;
        }
        return stop < 0 || stop == i ? Optional.empty() : Optional.of(code.substring(i + 1, stop + 1));
    }

    private static int matchingBrace(final String code, final int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            }
            else if (code.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unbalanced braces from offset " + open);
    }
}
