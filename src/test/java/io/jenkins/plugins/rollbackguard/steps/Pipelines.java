package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jvnet.hudson.test.JenkinsRule;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/** Creates the guarded deploy jobs of the ITests. */
final class Pipelines {
    static final String ENVIRONMENT = "prod";

    private Pipelines() {
    }

    /**
     * A guarded deploy: a new build archives {@code app.txt} (its build number) before the step; a reverting build
     * deploys the target's copy, which the step put into the workspace. The body deploys it to the service
     * ({@link HealthServer#deployStep()}): what the service answers after a deploy depends on that deploy alone, not
     * on how many answers preflight and baselines took before it.
     */
    static String guardedDeploy(final HealthServer service, final int samples) {
        return """
                node {
                  if (currentBuild.getBuildCauses('io.jenkins.plugins.rollbackguard.steps.RollbackCause').isEmpty()) {
                    writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                    archiveArtifacts 'app.txt'
                  }
                  withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                      jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: %d)]) {
                    echo "deploying ${readFile 'app.txt'} rollback=${env.ROLLBACK_GUARD_IS_ROLLBACK}"
                    %s
                  }
                }
                """.formatted(ENVIRONMENT, service.url(), samples, service.deployStep());
    }

    static WorkflowJob createDeployJob(final JenkinsRule j, final HealthServer service, final int samples)
            throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        job.setDefinition(new CpsFlowDefinition(guardedDeploy(service, samples), true));
        return job;
    }

    static WorkflowJob createJob(final JenkinsRule j, final String name, final String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    static RollbackPoint pointOf(final int build) {
        EnvironmentName environment = EnvironmentName.of(ENVIRONMENT);
        return new LedgerFacade().getLedger().history(environment, 0, 100).stream()
                .filter(point -> point.source().build() == build && point.source().job().equals("app"))
                .findFirst().orElseThrow(() -> new AssertionError("no point for app #" + build));
    }
}
