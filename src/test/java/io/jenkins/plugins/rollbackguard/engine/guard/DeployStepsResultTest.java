package io.jenkins.plugins.rollbackguard.engine.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

class DeployStepsResultTest {
    @Test
    void shouldWatchUnstableDeploysLikeSuccessfulOnes() {
        assertThat(DeployStepsResult.ofBuildResult("SUCCESS")).isEqualTo(DeployStepsResult.FINISHED);
        assertThat(DeployStepsResult.ofBuildResult("UNSTABLE")).isEqualTo(DeployStepsResult.FINISHED);
        assertThat(DeployStepsResult.ofBuildResult(null)).isEqualTo(DeployStepsResult.FINISHED);
    }

    @Test
    void shouldTellAFailedDeployFromAnAbort() {
        assertThat(DeployStepsResult.ofBuildResult("FAILURE")).isEqualTo(DeployStepsResult.FAILED);
        assertThat(DeployStepsResult.ofBuildResult("NOT_BUILT")).isEqualTo(DeployStepsResult.ABORTED);
        assertThat(DeployStepsResult.ofBuildResult("ABORTED")).isEqualTo(DeployStepsResult.ABORTED);
    }

    @Test
    void shouldNameAnUnknownResult() {
        assertThatIllegalArgumentException().isThrownBy(() -> DeployStepsResult.ofBuildResult("GREEN"))
                .withMessage("build result: 'GREEN' is not one of SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED");
    }

    @Test
    void shouldReportFinishedStepsForTheWatchAndFailedOnesAsAFailedDeploy() {
        assertThat(DeployStepsResult.FINISHED.deployEnd(null, null)).isEqualTo(new GuardMachine.Finished());
        assertThat(DeployStepsResult.FAILED.deployEnd(null, "the build steps ended FAILURE"))
                .isEqualTo(new GuardMachine.Failed("the build steps ended FAILURE"));
    }

    @Test
    void shouldReportAbortedStepsAsADeliberateStopAndALostAgentAsNone() {
        GuardMachine.DeployEnd aborted = DeployStepsResult.ABORTED.deployEnd(null, "the build steps ended ABORTED");
        assertThat(aborted).isEqualTo(new GuardMachine.Interrupted(Interruption.USER, "the build steps ended ABORTED"));
        assertThat(((GuardMachine.Interrupted) aborted).cause().isDeliberate()).isTrue();
        assertThat(DeployStepsResult.ABORTED.deployEnd(Interruption.TIMEOUT, "timed out"))
                .isEqualTo(new GuardMachine.Interrupted(Interruption.TIMEOUT, "timed out"));
        GuardMachine.DeployEnd lost = DeployStepsResult.FAILED.deployEnd(Interruption.AGENT_LOST, "agent went offline");
        assertThat(lost).isEqualTo(new GuardMachine.Interrupted(Interruption.AGENT_LOST, "agent went offline"));
        assertThat(((GuardMachine.Interrupted) lost).cause().isDeliberate()).as("in doubt, not bad").isFalse();
    }

    @Test
    void shouldReportAnUnwatchedFinishedDeployAsInDoubt() {
        GuardMachine.DeployEnd unwatched = DeployStepsResult.FINISHED.unwatchedEnd(null, "not watched");
        assertThat(unwatched).isEqualTo(new GuardMachine.Interrupted(Interruption.OTHER, "not watched"));
        assertThat(((GuardMachine.Interrupted) unwatched).cause().isDeliberate()).isFalse();
        assertThat(DeployStepsResult.FAILED.unwatchedEnd(null, "failed")).isEqualTo(new GuardMachine.Failed("failed"));
        assertThat(DeployStepsResult.ABORTED.unwatchedEnd(null, "aborted"))
                .isEqualTo(new GuardMachine.Interrupted(Interruption.USER, "aborted"));
    }
}
