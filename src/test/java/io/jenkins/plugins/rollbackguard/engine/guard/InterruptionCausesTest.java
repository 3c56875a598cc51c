package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link InterruptionCauses}: how the Pipeline step tells an abort (a person, a {@code timeout}, a
 * newer build) from a lost agent and from anything else, by the class names the real plugins use (read in
 * jenkinsci/jenkins, workflow-basic-steps, pipeline-milestone-step, workflow-job, workflow-durable-task-step and
 * remoting). The step's own tests in Jenkins ({@code WithRollbackGuardInterruptionITest}) cannot run here; this is
 * their engine twin for the classification.
 */
class InterruptionCausesTest {
    private static final String REMOVED_NODE =
            "org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$RemovedNodeCause";
    private static final String RETRYABLE = "org.jenkinsci.plugins.workflow.support.steps.AgentErrorCondition$Retryable";
    private static final String CAUSE_BASE = "jenkins.model.CauseOfInterruption";
    private static final String FLOW_INTERRUPTED = "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException";

    static Stream<Arguments> causes() {
        return Stream.of(
                Arguments.of("jenkins.model.CauseOfInterruption$UserInterruption", "ABORTED", Interruption.USER),
                Arguments.of("org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution$ExceededTimeout", "ABORTED",
                        Interruption.TIMEOUT),
                Arguments.of("org.jenkinsci.plugins.pipeline.milestone.CancelledCause", "NOT_BUILT",
                        Interruption.SUPERSEDED),
                Arguments.of("org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty$CancelledCause",
                        "NOT_BUILT", Interruption.SUPERSEDED),
                Arguments.of(REMOVED_NODE, "ABORTED", Interruption.AGENT_LOST),
                Arguments.of("org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$RemovedNodeTimeoutCause",
                        "ABORTED", Interruption.AGENT_LOST),
                Arguments.of("org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$QueueTaskCancelled",
                        "ABORTED", Interruption.AGENT_LOST),
                // parallel's failFast: another branch failed; what this deploy did is not known
                Arguments.of("org.jenkinsci.plugins.workflow.cps.steps.ParallelStep$FailFastCause", "ABORTED",
                        Interruption.OTHER));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("causes")
    void shouldClassifyEachCauseByItsClassName(final String cause, final String result, final Interruption expected) {
        // as the step hands it over: the cause with its base class, then the exception's own classes
        List<String> names = List.of(cause, CAUSE_BASE, FLOW_INTERRUPTED, "java.lang.InterruptedException");

        assertThat(InterruptionCauses.classify(names, result)).isEqualTo(expected);
    }

    /** The stop button as SYSTEM ({@code Executor.interrupt} records no cause then) and "terminate" carry none. */
    @Test
    void shouldTreatAStopWithoutACauseAsUnknownUnlessANewerBuildEndedIt() {
        List<String> bare = List.of(FLOW_INTERRUPTED, "java.lang.InterruptedException");

        assertThat(InterruptionCauses.classify(bare, "ABORTED")).isEqualTo(Interruption.OTHER);
        assertThat(InterruptionCauses.classify(bare, null)).isEqualTo(Interruption.OTHER);
        assertThat(InterruptionCauses.classify(bare, "NOT_BUILT")).isEqualTo(Interruption.SUPERSEDED);
        assertThat(Interruption.OTHER.isDeliberate()).isFalse();
        assertThat(Interruption.USER.isDeliberate()).isTrue();
    }

    /** A cause that only implements the marker interface of retryable agent errors is a lost agent too. */
    @Test
    void shouldRecogniseARetryableAgentCauseByItsInterface() {
        List<String> names = List.of("org.example.SomeFutureAgentCause", RETRYABLE, CAUSE_BASE);

        assertThat(InterruptionCauses.classify(names, "ABORTED")).isEqualTo(Interruption.AGENT_LOST);
    }

    /**
     * Whatever else the stop names, and in whatever order, a lost agent wins (its effect is unknown, so the
     * environment is frozen); without one, the first deliberate cause decides. Seeded, so a failure repeats.
     */
    @Test
    void shouldLetALostAgentWinOverDeliberateCausesInAnyOrder() {
        Random random = new Random(20_260_101L);
        List<String> deliberate = List.of(InterruptionCauses.USER, InterruptionCauses.TIMEOUT,
                InterruptionCauses.MILESTONE);
        List<String> noise = List.of(CAUSE_BASE, FLOW_INTERRUPTED, "hudson.AbortException", "java.io.IOException");
        List<String> lost = List.copyOf(InterruptionCauses.AGENT_LOST);
        for (int round = 0; round < 500; round++) {
            List<String> names = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                names.add(noise.get(random.nextInt(noise.size())));
            }
            String first = deliberate.get(random.nextInt(deliberate.size()));
            names.add(first);
            names.add(deliberate.get(random.nextInt(deliberate.size())));
            boolean agentLost = random.nextBoolean();
            if (agentLost) {
                names.add(random.nextInt(names.size() + 1), lost.get(random.nextInt(lost.size())));
            }

            Interruption classified = InterruptionCauses.classify(names, "ABORTED");

            Interruption expected = agentLost ? Interruption.AGENT_LOST : switch (first) {
                case InterruptionCauses.USER -> Interruption.USER;
                case InterruptionCauses.TIMEOUT -> Interruption.TIMEOUT;
                default -> Interruption.SUPERSEDED;
            };
            assertThat(classified).as("round %d: %s", round, names).isEqualTo(expected);
        }
    }

    /** A body that failed because its channel closed did not fail as a deploy: the agent was lost. */
    @Test
    void shouldTellALostChannelFromAFailedDeploy() {
        IOException channel = new IOException("remote call failed", new AsynchronousCloseException());
        IOException suppressed = new IOException("script returned exit code 1");
        suppressed.addSuppressed(new EOFException("unexpected end of stream"));

        assertThat(InterruptionCauses.ofFailure(InterruptionCauses.namesOf(channel))).contains(Interruption.AGENT_LOST);
        assertThat(InterruptionCauses.ofFailure(InterruptionCauses.namesOf(new ClosedByInterruptException())))
                .contains(Interruption.AGENT_LOST);
        assertThat(InterruptionCauses.ofFailure(InterruptionCauses.namesOf(suppressed))).contains(Interruption.AGENT_LOST);
        assertThat(InterruptionCauses.ofFailure(InterruptionCauses.namesOf(new IOException("script returned exit code 1"))))
                .isEmpty();
        assertThat(InterruptionCauses.ofFailure(InterruptionCauses.namesOf(null))).isEmpty();
    }

    /** A chain that refers to itself is walked once. */
    @Test
    void shouldWalkACyclicChainOnce() {
        IOException outer = new IOException("outer");
        IllegalStateException inner = new IllegalStateException("inner", outer);
        outer.addSuppressed(inner);

        assertThat(InterruptionCauses.namesOf(outer)).containsExactly("java.io.IOException", "java.lang.Exception",
                "java.lang.Throwable", "java.io.Serializable", "java.lang.IllegalStateException",
                "java.lang.RuntimeException");
    }

    /** Subclasses and interfaces are named, so the classifier knows a channel closed by any of its causes. */
    @Test
    void shouldNameEverySuperclassAndInterface() {
        assertThat(InterruptionCauses.hierarchy(AsynchronousCloseException.class)).startsWith(
                "java.nio.channels.AsynchronousCloseException", "java.nio.channels.ClosedChannelException",
                "java.io.IOException").contains("java.io.Serializable");
        assertThat(InterruptionCauses.hierarchy(java.util.ArrayList.class)).contains("java.util.List",
                "java.util.Collection", "java.lang.Iterable", "java.util.RandomAccess");
    }
}
