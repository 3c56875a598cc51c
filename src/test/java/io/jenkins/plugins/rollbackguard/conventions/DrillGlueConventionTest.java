package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The glue half of DrillStepITest (issue #17), on the sources; the behaviour is the engine's, tested by
 * {@code DrillTest}. The rules: the step's execution persists only the environment (its step), its own id and the id
 * of the point drilled from (with who asked, for the log), everything else transient, because the ledger holds how far
 * a drill got; a leg's reverting build is looked up by its key before one is scheduled, and scheduled with that key
 * (a restart neither loses it nor queues it twice); the reverting build turns a drill key into the engine's drill
 * request (trigger {@code drill}, the leg's attributes, reverting nothing); and no host keeps a drill rule of its own
 * (the production-looking names are the engine's). Proven on deliberately bad snippets.
 */
class DrillGlueConventionTest {
    private static final Set<String> PERSISTED = Set.of("step", "drillId", "requestedBy", "requestedFrom", "ownJob",
            "fromId");
    private static final Pattern FIELD = Pattern.compile(
            "^(?:@\\w+\\s+)*(?:(?:private|protected|public)\\s+)?((?:(?:static|final|transient|volatile)\\s+)*)"
                    + "[\\w<>?,.\\s\\[\\]]+?\\s(\\w+)\\s*(?:=.*)?$", Pattern.DOTALL);
    private static final Pattern OWN_PRODUCTION_RULE = Pattern.compile("\\(prod\\|live\\)|\"prod\"|\"live\"");

    @Test
    void shouldKeepTheDrillGlueToItsRules() {
        Path main = ProjectFiles.locate().mainJava().resolve("io/jenkins/plugins/rollbackguard");
        Path cli = ProjectFiles.locate().root().resolve("cli/src/main/java/io/jenkins/plugins/rollbackguard/cli");
        List<String> problems = new ArrayList<>();

        problems.addAll(executionProblems("steps/DrillStepExecution.java", read(main.resolve("steps/DrillStepExecution.java"))));
        problems.addAll(legProblems("steps/GuardPreparation.java", read(main.resolve("steps/GuardPreparation.java"))));
        for (Path file : hostSources(main, cli)) {
            problems.addAll(ownRuleProblems(file.getFileName().toString(), ProjectFiles.read(file)));
        }

        assertThat(problems).isEmpty();
        assertThat(persisted(read(main.resolve("steps/DrillStepExecution.java")))).as("what a restart keeps")
                .containsExactlyInAnyOrderElementsOf(PERSISTED);
        assertThat(ProjectFiles.read(cli.resolve("DrillCommand.java"))).as("the CLI drives the engine's drill")
                .contains("Drill.plan(").contains("drill.next(").contains("drill.ended(");
    }

    @Test
    void shouldFindAPersistedDrillAScheduleWithoutLookUpAndARuleOfTheHostsOwn() {
        String execution = """
                public class DrillStepExecution extends StepExecution {
                    private final DrillStep step;
                    private Drill drill;
                    private transient volatile long waitingQueueId;
                    private volatile long fromId;
                    private void advanceOnce() {
                        RevertingBuilds.schedule(target, null, env, id, why, by, null);
                    }
                }
                """;
        String preparation = """
                final class GuardPreparation {
                    Prepared prepare() {
                        request = new DeployRequest(source(), a, c, p, actor, null, revertOf(ledger, e), "manual", d, at);
                    }
                }
                """;
        String cli = """
                final class DrillCommand {
                    private static final Pattern PRODUCTION = Pattern.compile("(?i).*(prod|live).*");
                }
                """;

        assertThat(executionProblems("E.java", new JavaSource(execution))).containsExactly(
                "E.java: persists drill; the ledger holds a drill's state: keep only " + new TreeSet<>(PERSISTED)
                        + " and make the rest transient",
                "E.java: schedules a leg without looking its key up first (RevertingBuilds.find)",
                "E.java: schedules a leg without its key (deploy.key())");
        assertThat(legProblems("P.java", new JavaSource(preparation))).containsExactly(
                "P.java: does not turn a drill leg's key into the engine's drill request (Drill.ofKey, Drill.attributes, "
                        + "Drill.TRIGGER, reverting nothing)");
        assertThat(ownRuleProblems("C.java", cli)).containsExactly(
                "C.java: keeps a drill rule of its own (production-looking names); use the engine's Drill.checkName");
    }

    static List<String> executionProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (String name : persisted(source)) {
            if (!PERSISTED.contains(name)) {
                problems.add(file + ": persists " + name + "; the ledger holds a drill's state: keep only "
                        + new TreeSet<>(PERSISTED) + " and make the rest transient");
            }
        }
        String code = source.code();
        int find = code.indexOf("RevertingBuilds.find(");
        int schedule = code.indexOf("RevertingBuilds.schedule(");
        if (schedule >= 0 && (find < 0 || find > schedule)) {
            problems.add(file + ": schedules a leg without looking its key up first (RevertingBuilds.find)");
        }
        if (schedule >= 0 && !code.substring(schedule, code.indexOf(';', schedule)).contains("deploy.key()")) {
            problems.add(file + ": schedules a leg without its key (deploy.key())");
        }
        return problems;
    }

    /** @return the fields of the execution that are neither static nor transient, in order */
    static List<String> persisted(final JavaSource source) {
        List<String> names = new ArrayList<>();
        for (String declaration : topLevelStatements(source.ownBody("DrillStepExecution").orElse(""))) {
            Matcher field = FIELD.matcher(declaration.strip());
            if (field.matches() && !field.group(1).contains("static") && !field.group(1).contains("transient")) {
                names.add(field.group(2));
            }
        }
        return names;
    }

    /** @return the statements at the top level of a class body (its fields), without methods and initialisers */
    private static List<String> topLevelStatements(final String body) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
            }
            else if (c == '}') {
                depth--;
                if (depth == 0) {
                    current.setLength(0); // a method's or an initialiser's header and body
                }
            }
            else if (depth == 0 && c == ';') {
                statements.add(current.toString());
                current.setLength(0);
            }
            else if (depth == 0) {
                current.append(c);
            }
        }
        return statements;
    }

    static List<String> legProblems(final String file, final JavaSource source) {
        String code = source.code();
        boolean drillRequest = code.contains("Drill.ofKey(target.getKey())") && code.contains("Drill.attributes(")
                && Pattern.compile("null,\\s*0,\\s*Drill\\.TRIGGER").matcher(code).find();
        return drillRequest ? List.of() : List.of(file + ": does not turn a drill leg's key into the engine's drill "
                + "request (Drill.ofKey, Drill.attributes, Drill.TRIGGER, reverting nothing)");
    }

    static List<String> ownRuleProblems(final String file, final String text) {
        return OWN_PRODUCTION_RULE.matcher(text).find() ? List.of(file + ": keeps a drill rule of its own "
                + "(production-looking names); use the engine's Drill.checkName") : List.of();
    }

    private static JavaSource read(final Path file) {
        return new JavaSource(ProjectFiles.read(file));
    }

    private static List<Path> hostSources(final Path main, final Path cli) {
        List<Path> files = new ArrayList<>(ProjectFiles.list(cli, ".java"));
        for (String glue : new String[] {"steps", "ui", "freestyle", "config", "jenkins", "util"}) {
            files.addAll(ProjectFiles.list(main.resolve(glue), ".java"));
        }
        return files;
    }
}
