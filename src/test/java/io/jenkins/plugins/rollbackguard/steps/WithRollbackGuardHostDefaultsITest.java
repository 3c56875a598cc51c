package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;

/**
 * Issue 17: a policy file read by {@code withRollbackGuard} takes the Jenkins global {@code cooldown} where it gives
 * none, keeps its own {@code keepGood} over the global one, and the build's log says which values came from the global
 * configuration. Its twins, run by .ci/run: HostDefaultsTest (the engine's precedence of every field) and
 * HostDefaultsConventionTest (the step reads a policy file with the global defaults, and the configuration hands
 * every one of them to the engine).
 */
@WithJenkins
class WithRollbackGuardHostDefaultsITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static String deploy(final String url) {
        return """
                node {
                  writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                  archiveArtifacts 'app.txt'
                  writeFile file: 'rollback-guard.yaml', text: '''environment: %s
                keepGood: 3
                probes:
                  - {type: http, name: health, url: '%s', jsonPointer: /rate, failIf: '< 0.9',
                     analysis: {interval: 1s, count: 2}}
                '''
                  withRollbackGuard(policy: 'rollback-guard.yaml') {
                    echo "deploying ${readFile 'app.txt'}"
                  }
                }
                """.formatted(Pipelines.ENVIRONMENT, url);
    }

    @Test
    void shouldLayTheGlobalCooldownUnderThePolicyFile(final JenkinsRule j) throws Exception {
        RollbackGuardConfiguration configuration = RollbackGuardConfiguration.get();
        configuration.setCooldown("1h");
        configuration.setKeepGood(7);
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", deploy(service.url()));

            WorkflowRun run = j.buildAndAssertSuccess(job);

            j.assertLogContains("cooldown 1h from Jenkins global configuration", run);
            Policy recorded = new PolicyReader().parse("recorded policy",
                    Pipelines.pointOf(run.getNumber()).attributes().get(GuardSession.POLICY));
            assertThat(recorded.cooldown()).isEqualTo("1h");
            assertThat(recorded.keepGood()).as("the file's own over the global one").isEqualTo(3);
        }
    }
}
