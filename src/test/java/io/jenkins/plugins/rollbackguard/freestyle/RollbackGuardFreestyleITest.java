package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.SimpleCommandLauncher;
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
import hudson.slaves.RetentionStrategy;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.backup.RestoreTarget;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
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
    private static final String AGENT_PAGE = "<h1>shop v1, as the agent sees it</h1>";

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

    /**
     * The files to back up are named through {@code /proc/self/cwd}, which every process resolves against its own
     * working directory. The agent's process is started in a directory that holds the site; the controller's process
     * (this test's JVM) is not, so the path does not exist for it. The backup can therefore only succeed, and hold the
     * agent's page, if the agent's process read the files; the same job on the built-in node must fail to find them.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // /proc/self/cwd, and the agent is started through sh
    void shouldTakeBackupsOnTheAgentWhereTheBuildRuns(final JenkinsRule j, @TempDir final Path backupRoot)
            throws Exception {
        String site = "agent-only-site-" + UUID.randomUUID();
        Path agentDirectory = j.jenkins.getRootDir().toPath().resolve("agent-working-directory");
        Files.createDirectories(agentDirectory.resolve(site));
        Files.writeString(agentDirectory.resolve(site).resolve("index.html"), AGENT_PAGE);
        String source = "/proc/self/cwd/" + site;
        assertThat(Path.of(source)).as("the controller's process must not see the agent's files").doesNotExist();

        RollbackGuardConfiguration.get().setBackupRoot(backupRoot.toString()); // shared: agent and controller
        DumbSlave agent = createAgentWorkingIn(j, agentDirectory);
        FreeStyleProject job = j.createFreeStyleProject("shop");
        job.setAssignedNode(agent);
        job.getBuildersList().add(new PolicyWriter("""
                backups:
                  - type: files
                    path: SOURCE
                probes:
                  - type: http
                    name: jenkins-up
                    url: JENKINS/api/json
                    analysis: {interval: 200ms, count: 2}
                """.replace("SOURCE", source).replace("JENKINS/", j.getURL().toString())));
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setOnTrip("freeze");
        job.getBuildersList().add(record);
        job.getPublishersList().add(new RollbackGuardRecorder(ENVIRONMENT));

        FreeStyleBuild build = j.buildAndAssertSuccess(job);

        assertThat(build.getBuiltOn()).isSameAs(agent);
        j.assertLogContains("Archived 1 entries of " + source, build);
        RollbackPoint good = ledger().lastGood(EnvironmentName.of(ENVIRONMENT)).orElseThrow();
        assertThat(good.backups()).singleElement().extracting(BackupRef::kind).isEqualTo("files");
        BackupStore store = new BackupStore(backupRoot);
        BackupManifest manifest = store.find(good.backups().get(0).id()).orElseThrow();
        assertThat(manifest.source()).isEqualTo("files " + source);
        Path restored = j.jenkins.getRootDir().toPath().resolve("restored-site");
        try (SystemScheduler clock = new SystemScheduler(1)) {
            store.restore(manifest.id(), RestoreTarget.directory(restored),
                    new BackupContext(SecretSource.none(), new LocalCommandRunner(), clock, GuardListener.silent(), ""));
        }
        assertThat(restored.resolve("index.html")).as("the backup holds the page only the agent could read")
                .hasContent(AGENT_PAGE);

        // the control: the same job on the controller's own node cannot find the files; preflight checks a backup's
        // source where the backup runs (AgentFileChecks, here the controller's process), so it refuses before
        // anything is recorded (before 2026-12, the point was recorded and the backup failed, ABORTED); engine twin:
        // PreflightMachineTest.shouldRefuseBeforeTheLeaseAndThePoint (backup source), glue's: AgentFileChecksConventionTest
        job.setAssignedLabel(j.jenkins.getSelfLabel());

        FreeStyleBuild onController = j.buildAndAssertStatus(Result.FAILURE, job);

        assertThat(onController.getBuiltOn()).isSameAs(j.jenkins);
        j.assertLogContains(source + "' does not exist; correct the path or create it", onController);
        j.assertLogContains("nothing was recorded or run", onController);
        assertThat(ledger().size(EnvironmentName.of(ENVIRONMENT))).as("nothing recorded").isEqualTo(1);
        assertThat(ledger().history(EnvironmentName.of(ENVIRONMENT), 0, 1).get(0).status())
                .isEqualTo(PointStatus.GOOD);
        assertThat(store.list(ENVIRONMENT)).singleElement().extracting(BackupManifest::id).isEqualTo(manifest.id());
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

    /**
     * Starts an agent whose process works in the given directory; the agents of {@link JenkinsRule} work where the
     * test runs, like the controller. Its remote root is a directory of its own.
     */
    private static DumbSlave createAgentWorkingIn(final JenkinsRule j, final Path workingDirectory) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String agentJar = Path.of(j.jenkins.getJnlpJars("agent.jar").getURL().toURI()).toString();
        // sh -c 'script' $0 $1 $2: the paths are arguments, never part of the script
        SimpleCommandLauncher launcher = new SimpleCommandLauncher("sh -c 'cd \"$0\" && exec \"$1\" -jar \"$2\"'"
                + " \"" + workingDirectory + "\" \"" + java + "\" \"" + agentJar + "\"");
        DumbSlave agent = new DumbSlave("agent-in-its-own-directory",
                j.jenkins.getRootDir().toPath().resolve("agent-root").toString(), launcher);
        agent.setRetentionStrategy(RetentionStrategy.NOOP);
        j.jenkins.addNode(agent);
        j.waitOnline(agent);
        assertThat(agent.getChannel()).as("the channel of the agent started in %s", workingDirectory).isNotNull();
        return agent;
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
