package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.slaves.DumbSlave;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.ui.RollbackPointAction;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the freestyle pair {@link RecordRollbackPointBuilder} and {@link RollbackGuardRecorder} end to end: a healthy
 * deploy becomes the last good point, failed deploy steps mark the point bad and freeze the environment, a frozen
 * environment stops the next build, and both survive a configuration round trip.
 */
@WithJenkins
class RollbackGuardFreestyleITest {
    private static final String ENVIRONMENT = "staging";

    @Test
    void shouldRecordAGoodPointForAHealthyDeploy(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createGuardedJob(j, false);

        FreeStyleBuild build = j.buildAndAssertSuccess(job);

        j.assertLogContains("[rollback-guard]", build);
        RollbackPoint good = ledger().lastGood(EnvironmentName.of(ENVIRONMENT)).orElseThrow();
        assertThat(good.source().job()).isEqualTo("shop");
        assertThat(good.source().build()).isEqualTo(build.getNumber());
        RollbackPointAction action = build.getAction(RollbackPointAction.class);
        assertThat(action).isNotNull();
        assertThat(action.getStatus()).isEqualTo("GOOD");
    }

    @Test
    void shouldMarkTheDeployBadAndFreezeWhenTheDeployStepsFail(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createGuardedJob(j, true);

        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, job);

        RollbackPoint point = ledger().history(EnvironmentName.of(ENVIRONMENT), 0, 1).get(0);
        assertThat(point.source().build()).isEqualTo(build.getNumber());
        assertThat(point.status()).isEqualTo(PointStatus.BAD);
        assertThat(ledger().circuit(EnvironmentName.of(ENVIRONMENT)).isOpen()).isTrue();

        FreeStyleBuild next = j.buildAndAssertStatus(Result.FAILURE, job);
        assertThat(ledger().size(EnvironmentName.of(ENVIRONMENT))).isEqualTo(1);
        j.assertLogContains("nothing to watch", next);
    }

    @Test
    void shouldTakeBackupsOnTheAgentWhereTheBuildRuns(final JenkinsRule j, @TempDir final Path backupRoot)
            throws Exception {
        RollbackGuardConfiguration.get().setBackupRoot(backupRoot.toString()); // shared: agent and controller
        DumbSlave agent = j.createOnlineSlave();
        FreeStyleProject job = j.createFreeStyleProject("shop");
        job.setAssignedNode(agent);
        job.getBuildersList().add(new PolicyWriter("""
                backups:
                  - type: files
                    path: %s/site
                probes:
                  - type: http
                    name: jenkins-up
                    url: JENKINS/api/json
                    analysis: {interval: 200ms, count: 2}
                """.replace("JENKINS/", j.getURL().toString())));
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setOnTrip("freeze");
        job.getBuildersList().add(record);
        job.getPublishersList().add(new RollbackGuardRecorder(ENVIRONMENT));

        FreeStyleBuild build = j.buildAndAssertSuccess(job);

        assertThat(build.getBuiltOn()).isSameAs(agent);
        RollbackPoint good = ledger().lastGood(EnvironmentName.of(ENVIRONMENT)).orElseThrow();
        assertThat(good.backups()).singleElement().extracting(BackupRef::kind).isEqualTo("files");
        try (Stream<Path> files = Files.walk(backupRoot)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString)).anyMatch(name -> name.endsWith("archive.tar.gz"));
        }
    }

    @Test
    void shouldKeepTheFieldsThroughTheConfigurationPage(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setPolicyFile("deploy/policy.yaml");
        record.setOnTrip("freeze");
        record.setCooldown("20m");
        RollbackGuardRecorder watch = new RollbackGuardRecorder(ENVIRONMENT);
        watch.setPolicyFile("deploy/policy.yaml");
        watch.setOnTrip("fail");
        job.getBuildersList().add(record);
        job.getPublishersList().add(watch);

        j.configRoundtrip(job);

        j.assertEqualDataBoundBeans(record, job.getBuildersList().get(RecordRollbackPointBuilder.class));
        j.assertEqualDataBoundBeans(watch, job.getPublishersList().get(RollbackGuardRecorder.class));
    }

    private static FreeStyleProject createGuardedJob(final JenkinsRule j, final boolean deployFails)
            throws IOException {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        String policy = """
                probes:
                  - type: http
                    name: jenkins-up
                    url: %sapi/json
                    analysis: {interval: 200ms, count: 2}
                """.formatted(j.getURL());
        job.getBuildersList().add(new PolicyWriter(policy));
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setOnTrip("freeze");
        job.getBuildersList().add(record);
        if (deployFails) {
            job.getBuildersList().add(new FailureBuilder());
        }
        RollbackGuardRecorder watch = new RollbackGuardRecorder(ENVIRONMENT);
        watch.setOnTrip("freeze");
        job.getPublishersList().add(watch);
        return job;
    }

    private static Ledger ledger() {
        return new LedgerFacade().getLedger();
    }

    /**
     * Puts the policy file (with {@code %s} replaced by the workspace path) and a small site into the workspace, as a
     * checkout would.
     */
    private static final class PolicyWriter extends TestBuilder {
        private final String policy;

        PolicyWriter(final String policy) {
            super();
            this.policy = policy;
        }

        @Override
        public boolean perform(final AbstractBuild<?, ?> build, final Launcher launcher,
                final BuildListener listener) throws InterruptedException, IOException {
            FilePath workspace = build.getWorkspace();
            workspace.child("site/index.html").write("<h1>shop v1</h1>", StandardCharsets.UTF_8.name());
            workspace.child(GuardFields.DEFAULT_POLICY_FILE).write(policy.replace("%s", workspace.getRemote()),
                    StandardCharsets.UTF_8.name());
            return true;
        }
    }
}
