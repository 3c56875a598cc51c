package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * Source-level checks of what the glue does with Jenkins calls whose behaviour a type check cannot see (the review
 * of the glue against the real Jenkins sources found each of these): transient action factories that recurse,
 * freestyle results judged against SUCCESS, reverting builds folded into a queued build. Each check is proven on a
 * deliberately bad snippet.
 */
class JenkinsBehaviourConventionTest {
    private static final String TARGET_ACTION = "io/jenkins/plugins/rollbackguard/steps/RollbackTargetAction.java";

    @Test
    void shouldNeverAskTheTargetOfATransientActionFactoryForActions() {
        assertThat(ProjectFiles.problemsInMainSources(Conventions::actionFactoryProblems)).isEmpty();
    }

    @Test
    void shouldFindAFactoryThatAsksItsTargetForActions() {
        String bad = """
                package x;
                @Extension
                public class F extends TransientActionFactory<Run> {
                    // getActions( in a comment is fine
                    String label = "getAllActions()";
                    @Override
                    public Collection<? extends Action> createFor(@NonNull final Run target) {
                        if (!target.getActions(MyAction.class).isEmpty()) {
                            return List.of();
                        }
                        return List.of(new MyAction(target.getAction(Other.class)));
                    }
                }
                class NotAFactory extends Something {
                    void fine(Run run) { run.getActions(MyAction.class); }
                }
                """;

        assertThat(Conventions.actionFactoryProblems("F.java", new JavaSource(bad))).containsExactly(
                "F.java: F calls getActions() on its target; the factories are asked again and recurse",
                "F.java: F calls getAction() on its target; the factories are asked again and recurse");
        assertThat(Conventions.actionFactoryProblems("G.java", new JavaSource("""
                public class G extends jenkins.model.TransientActionFactory<Job> {
                    public Collection<? extends Action> createFor(Job target) { return target.getAllActions(); }
                }
                """))).hasSize(1);
    }

    @Test
    void shouldTreatUnstableStepsAsAFinishedDeploy() {
        assertThat(ProjectFiles.problemsInMainSources(Conventions::buildResultBoundaryProblems)).isEmpty();
    }

    @Test
    void shouldFindAResultJudgedAgainstSuccess() {
        String bad = """
                class R {
                    void perform(Run<?, ?> run) {
                        Result steps = run.getResult();
                        if (steps != null && steps.isWorseThan(Result.SUCCESS)) { fail(); }
                        if (run.getResult().isBetterOrEqualTo(hudson.model.Result.SUCCESS)) { watch(); }
                        if (steps.isWorseThan(Result.UNSTABLE)) { fail(); } // the right boundary
                        String s = "isWorseThan(Result.SUCCESS)";
                    }
                }
                """;

        assertThat(Conventions.buildResultBoundaryProblems("R.java", new JavaSource(bad))).containsExactly(
                "R.java: compares a build result with isWorseThan(Result.SUCCESS); UNSTABLE is a finished deploy, "
                        + "the boundary is Result.UNSTABLE",
                "R.java: compares a build result with isBetterOrEqualTo(Result.SUCCESS); UNSTABLE is a finished "
                        + "deploy, the boundary is Result.UNSTABLE");
    }

    @Test
    void shouldScheduleRevertingBuildsSoThatTheQueueCannotFoldThem() {
        ProjectFiles project = ProjectFiles.locate();
        JavaSource action = new JavaSource(ProjectFiles.read(project.mainJava().resolve(TARGET_ACTION)));
        List<Path> sources = ProjectFiles.list(project.mainJava(), ".java");

        List<Path> scheduling = sources.stream()
                .filter(file -> new JavaSource(ProjectFiles.read(file)).code().contains("new RollbackTargetAction("))
                .toList();
        assertThat(scheduling).as("sources that schedule reverting builds").isNotEmpty();
        assertThat(sources.stream().flatMap(file -> Conventions.revertSchedulingProblems(project.name(file),
                new JavaSource(ProjectFiles.read(file)), action).stream())).isEmpty();
    }

    @Test
    void shouldFindRevertingBuildsThatTheQueueCanFold() {
        JavaSource plainAction = new JavaSource("""
                public class RollbackTargetAction extends InvisibleAction {
                    public boolean shouldSchedule(List<Action> actions) { return true; } // not a QueueAction
                }
                """);
        JavaSource foldingAction = new JavaSource("""
                public class RollbackTargetAction extends InvisibleAction implements Queue.QueueAction {
                    @Override
                    public boolean shouldSchedule(final List<Action> actions) { return actions.isEmpty(); }
                }
                """);
        JavaSource neverFolds = new JavaSource("""
                public class RollbackTargetAction extends InvisibleAction implements Queue.QueueAction {
                    @Override
                    public boolean shouldSchedule(final List<Action> actions) {
                        return true;
                    }
                }
                """);
        JavaSource viaScheduleBuild2 = new JavaSource("""
                class S {
                    Queue.Item go(Job job) {
                        return ParameterizedJobMixIn.scheduleBuild2(job, 0, new RollbackTargetAction("prod", 1, 2));
                    }
                }
                """);
        JavaSource unchecked = new JavaSource("""
                class S {
                    Queue.Item go(Job job) {
                        return queue.schedule2(job, 0, List.of(new RollbackTargetAction("prod", 1, 2))).getItem();
                    }
                }
                """);
        JavaSource checked = new JavaSource("""
                class S {
                    Optional<Queue.Item> go(Job job) {
                        ScheduleResult result = queue.schedule2(job, 0, List.of(new RollbackTargetAction("prod", 1, 2)));
                        return result.isCreated() ? Optional.ofNullable(result.getItem()) : Optional.empty();
                    }
                }
                """);

        assertThat(Conventions.revertSchedulingProblems("S.java", viaScheduleBuild2, neverFolds)).containsExactly(
                "S.java: schedules a reverting build with scheduleBuild2, which hides whether the queue folded it "
                        + "into an existing item");
        String folded = "S.java: a reverting build can be folded into a queued build: RollbackTargetAction is no "
                + "QueueAction answering shouldSchedule true, and ScheduleResult.isCreated() is not checked";
        assertThat(Conventions.revertSchedulingProblems("S.java", unchecked, plainAction)).containsExactly(folded);
        assertThat(Conventions.revertSchedulingProblems("S.java", unchecked, foldingAction)).containsExactly(folded);
        assertThat(Conventions.revertSchedulingProblems("S.java", unchecked, neverFolds)).isEmpty();
        assertThat(Conventions.revertSchedulingProblems("S.java", checked, plainAction)).isEmpty();
        assertThat(Conventions.revertSchedulingProblems("T.java", new JavaSource("class T { }"), plainAction))
                .isEmpty();
    }

}
