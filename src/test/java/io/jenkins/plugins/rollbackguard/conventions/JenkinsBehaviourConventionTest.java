package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * Source-level checks of what the glue does with Jenkins calls whose behaviour a type check cannot see (the review
 * of the glue against the real Jenkins sources found each of these): transient action factories that recurse,
 * freestyle results judged against SUCCESS, reverting builds folded into a queued build, and the Pipeline step
 * executions ({@link StepConventions}: no I/O on the CPS VM thread, no work on the sample pool, no decision about a
 * deploy outside the guard machine, a body's interruption classified). Each check is proven on a deliberately bad
 * snippet.
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

    /** The step executions as they are now: each check below finds nothing in them. */
    @Test
    void shouldKeepStepExecutionsToTheirThreadsPoolsAndRole() {
        assertThat(ProjectFiles.problemsInMainSources(StepConventions::samplePoolProblems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources(StepConventions::decisionProblems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources(StepConventions::cpsThreadProblems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources(StepConventions::bodyInterruptionProblems)).isEmpty();
        assertThat(ProjectFiles.list(ProjectFiles.locate().mainJava(), ".java").stream()
                .map(file -> new JavaSource(ProjectFiles.read(file)))
                .filter(source -> source.code().contains("extends AbstractStepExecutionImpl")))
                .as("the checks have step executions to look at").hasSizeGreaterThanOrEqualTo(2);
    }

    /** The step as it was before the guard machine: each problem the review found is caught. */
    @Test
    void shouldFindAStepThatPreparesOnTheSamplePoolAndJudgesAFailedBodyItself() {
        JavaSource bad = new JavaSource("""
                public class Exec extends AbstractStepExecutionImpl {
                    @Override
                    public boolean start() {
                        RollbackPoint point = new LedgerFacade().getLedger().point(env, id); // I/O on the CPS thread
                        pool().execute(this::prepare);
                        return false;
                    }
                    @Override
                    public void stop(final Throwable cause) throws Exception {
                        guard.ledger().transition(env, id, PointStatus.ABORTED, "guard", "stopped");
                        running.get().join();
                    }
                    private Executor pool() {
                        return SamplePool.executor();
                    }
                    private void deployFailed(final Throwable failure) {
                        GuardOutcome outcome = guard.session().deployFailed(point, failure.getMessage(), reverter);
                    }
                    private final class Callback extends BodyExecutionCallback {
                        @Override
                        public void onSuccess(final StepContext context, final Object result) {
                            pool().execute(Exec.this::afterBody);
                        }
                        @Override
                        public void onFailure(final StepContext context, final Throwable t) {
                            Thread.sleep(10);
                            pool().execute(() -> deployFailed(t));
                        }
                    }
                    // SamplePool. in a comment, "PointStatus.GOOD" in a string: neither counts
                    String text = "SamplePool.executor() .transition(";
                }
                """);

        assertThat(StepConventions.samplePoolProblems("Exec.java", bad)).containsExactly(
                "Exec.java: Exec uses the SamplePool; a step's work belongs on the WorkPool");
        assertThat(StepConventions.decisionProblems("Exec.java", bad)).containsExactly(
                "Exec.java: Exec decides about the deploy itself (.transition(); the guard machine does",
                "Exec.java: Exec decides about the deploy itself (PointStatus.A); the guard machine does",
                "Exec.java: Exec decides about the deploy itself (.deployFailed(); the guard machine does");
        assertThat(StepConventions.cpsThreadProblems("Exec.java", bad)).containsExactlyInAnyOrder(
                "Exec.java: Exec.start() runs on the CPS VM thread and calls LedgerFacade; hand it to the work pool",
                "Exec.java: Exec.start() runs on the CPS VM thread and calls .getLedger(; hand it to the work pool",
                "Exec.java: Exec.stop() runs on the CPS VM thread and calls .join(); hand it to the work pool",
                "Exec.java: Callback.onFailure() runs on the CPS VM thread and calls Thread.sleep(; hand it to the "
                        + "work pool");
        assertThat(StepConventions.bodyInterruptionProblems("Exec.java", bad)).containsExactly(
                "Exec.java: a body callback that does not classify the body's interruption (InterruptionCauses); an "
                        + "abort would be judged as a failed deploy");
    }

    /** What the step does now passes; a call of start() inside a lambda is no declaration of it. */
    @Test
    void shouldAcceptAStepThatHandsItsWorkOverAndClassifiesItsBody() {
        JavaSource good = new JavaSource("""
                public class Exec extends AbstractStepExecutionImpl {
                    @Override
                    public boolean start() {
                        work().execute(this::begin);
                        return false;
                    }
                    private void begin() {
                        driver().start(new LedgerFacade().getLedger(), request); // on the work pool: fine
                    }
                    @Override
                    public void stop(final Throwable cause) {
                        driver().stop(classify(cause), cause.getMessage());
                    }
                    private Executor work() {
                        return WorkPool.executor();
                    }
                    private Interruption classify(final Throwable cause) {
                        return InterruptionCauses.classify(names, "ABORTED");
                    }
                    private final class Callback extends BodyExecutionCallback {
                        @Override
                        public void onFailure(final StepContext context, final Throwable t) {
                            driver().ended(endOf(t));
                        }
                    }
                }
                """);

        assertThat(StepConventions.samplePoolProblems("Exec.java", good)).isEmpty();
        assertThat(StepConventions.decisionProblems("Exec.java", good)).isEmpty();
        assertThat(StepConventions.cpsThreadProblems("Exec.java", good)).isEmpty();
        assertThat(StepConventions.bodyInterruptionProblems("Exec.java", good)).isEmpty();
        assertThat(StepConventions.methodBodies(good.ownBody("Exec").orElseThrow(), "start")).singleElement()
                .asString().contains("work().execute");
    }

    /**
     * A workspace file read whole ({@code FilePath.readToString()}) has no bound: a 10 MB "policy" on an agent would
     * be copied into the controller's heap. The glue reads policies through {@code PolicyReader}'s bounded stream reads.
     */
    @Test
    void shouldReadNoWorkspaceFileWhole() {
        assertThat(ProjectFiles.problemsInMainSources(JenkinsBehaviourConventionTest::unboundedReads)).isEmpty();
        assertThat(unboundedReads("P.java", new JavaSource("""
                class P { Policy p(FilePath f) { return reader.parse("p", f.readToString()); } }
                """))).singleElement().satisfies(problem -> assertThat(problem).startsWith("P.java"));
        assertThat(unboundedReads("P.java", new JavaSource("""
                class P { Policy p(FilePath f) { try (InputStream in = f.read()) { return reader.read("p", in); } } }
                """))).isEmpty();
    }

    private static List<String> unboundedReads(final String file, final JavaSource source) {
        return source.code().contains(".readToString()")
                ? List.of(file + ": reads a workspace file whole (readToString); read it through PolicyReader's bounded read")
                : List.of();
    }
}
