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
}
