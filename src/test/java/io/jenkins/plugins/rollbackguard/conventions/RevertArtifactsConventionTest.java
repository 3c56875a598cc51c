package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The twin of DeclarativeRevertITest (issue #17), on the sources: a reverting build gets the target's artifacts (the
 * deployable and the archived deploy scripts) from the controller's store, the target build's artifact manager, and
 * never from a workspace, so it deploys the same on another agent with an empty workspace. The copy
 * ({@code GuardHost.copyArtifacts}) lists and opens the archive of the build it is given and only writes to the
 * workspace; the preparation gives it the reverting build's target ({@code ROLLBACK_GUARD_TARGET_BUILD}), never the
 * running build. Proven on deliberately bad snippets.
 */
class RevertArtifactsConventionTest {
    private static final Pattern COPY = Pattern.compile(
            "List<String>\\s+copyArtifacts\\s*\\(\\s*final\\s+Run<\\?,\\s*\\?>\\s+(\\w+)\\s*\\)");
    private static final Pattern WORKSPACE_READ = Pattern.compile(
            "\\bworkspace\\b[^;]*\\.(read|readToString|copyTo|copyRecursiveTo|list|exists|act)\\s*\\(");
    private static final Pattern TARGET_RUN = Pattern.compile(
            "(\\w+)\\s*=\\s*run\\.getParent\\(\\)\\.getBuildByNumber\\(\\s*target\\.getTargetBuild\\(\\)\\s*\\)");
    private static final Pattern COPY_CALL = Pattern.compile("\\.copyArtifacts\\(\\s*(\\w+)\\s*\\)");

    @Test
    void shouldRestoreTheTargetsArtifactsFromTheControllersStore() {
        List<String> copies = ProjectFiles.problemsInMainSources((file, source) ->
                COPY.matcher(source.code()).find() ? List.of(file) : List.of());
        List<String> callers = ProjectFiles.problemsInMainSources((file, source) ->
                COPY_CALL.matcher(source.code()).find() ? List.of(file) : List.of());

        assertThat(copies).as("the copy of a reverting build's artifacts").singleElement().asString().endsWith("steps/GuardHost.java");
        assertThat(callers).as("who asks for it").singleElement().asString().endsWith("steps/GuardPreparation.java");
        assertThat(ProjectFiles.problemsInMainSources(RevertArtifactsConventionTest::problems)).isEmpty();
    }

    @Test
    void shouldFindACopyFromTheWorkspaceOrOfTheRunningBuild() {
        String fromWorkspace = """
                class H {
                    List<String> copyArtifacts(final Run<?, ?> target) throws IOException {
                        for (String path : previous.list()) {
                            workspace.child(path).copyTo(out);
                        }
                        return List.of();
                    }
                }
                """;
        String runningBuild = """
                class P {
                    Prepared prepare(GuardHost guard) {
                        Run<?, ?> targetRun = run.getParent().getBuildByNumber(target.getTargetBuild());
                        List<String> copied = guard.copyArtifacts(run);
                    }
                }
                """;
        String good = """
                class H {
                    List<String> copyArtifacts(final Run<?, ?> target) throws IOException {
                        for (Run<?, ?>.Artifact artifact : target.getArtifacts()) {
                            try (InputStream in = target.getArtifactManager().root().child(artifact.relativePath).open()) {
                                workspace.child(artifact.relativePath).copyFrom(in);
                            }
                        }
                    }
                }
                """;

        assertThat(problems("steps/H.java", new JavaSource(fromWorkspace))).containsExactly(
                "steps/H.java: copyArtifacts reads a workspace (.copyTo()); a reverting build may run on another agent "
                        + "with an empty workspace: read the target build's archive",
                "steps/H.java: copyArtifacts does not list and open the archive of target (target.getArtifacts(), "
                        + "target.getArtifactManager().root())");
        assertThat(problems("steps/P.java", new JavaSource(runningBuild))).containsExactly(
                "steps/P.java: copies the artifacts of run, not of the target build (targetRun)");
        assertThat(problems("steps/H.java", new JavaSource(good))).isEmpty();
    }

    static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        Matcher copy = COPY.matcher(code);
        if (copy.find()) {
            String target = copy.group(1);
            String body = StepConventions.methodBodies(code, "copyArtifacts").get(0);
            Matcher read = WORKSPACE_READ.matcher(body);
            if (read.find()) {
                problems.add(file + ": copyArtifacts reads a workspace (." + read.group(1) + "()); a reverting build may "
                        + "run on another agent with an empty workspace: read the target build's archive");
            }
            if (!body.contains(target + ".getArtifacts()") || !body.contains(target + ".getArtifactManager().root()")
                    || !body.matches("(?s).*workspace\\.child\\([^;]*\\)\\.copyFrom\\(.*")) {
                problems.add(file + ": copyArtifacts does not list and open the archive of %s (%s.getArtifacts(), "
                        .formatted(target, target) + target + ".getArtifactManager().root())");
            }
        }
        Matcher call = COPY_CALL.matcher(code);
        while (call.find()) {
            Matcher targetRun = TARGET_RUN.matcher(code);
            String expected = targetRun.find() ? targetRun.group(1) : "the build of ROLLBACK_GUARD_TARGET_BUILD";
            if (!call.group(1).equals(expected)) {
                problems.add(file + ": copies the artifacts of %s, not of the target build (%s)".formatted(call.group(1),
                        expected));
            }
        }
        return problems;
    }
}
