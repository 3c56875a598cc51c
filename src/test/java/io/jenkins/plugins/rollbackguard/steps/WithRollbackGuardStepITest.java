package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.codehaus.groovy.control.CompilerConfiguration;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.DSL;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import groovy.util.DelegatingScript;
import hudson.model.Queue;
import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

/** Tests the class {@link WithRollbackGuardStep} in Jenkins: guarded deploys, trips, reverting builds. */
@WithJenkins
class WithRollbackGuardStepITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldRecordAGoodPointForAHealthyDeploy(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service, 2);

            WorkflowRun build = j.buildAndAssertSuccess(job);

            j.assertLogContains("deploying v1 rollback=false", build);
            assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
            assertThat(Pipelines.pointOf(1).artifacts()).singleElement()
                    .satisfies(artifact -> assertThat(artifact.location()).isEqualTo("app#1:app.txt"));
            assertThat(build.isKeepLog()).as("the last good build is kept from the build discarder").isTrue();
        }
    }

    /** A trip fails the build and schedules a reverting build, which deploys the target's archived artifact. */
    @Test
    void shouldRevertToTheLastGoodBuildWhenTheWatchTrips(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service, 2);
            j.buildAndAssertSuccess(job);
            // build #2's deploy answers badly once: its first watch sample trips (preflight's answer came before the
            // deploy, from v1); the revert deploys v1 again, healthy
            service.nextDeployAnswersBadly(1);

            WorkflowRun bad = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            assertThat(revert).isNotNull();
            j.assertBuildStatusSuccess(revert);
            RollbackCause cause = revert.getCause(RollbackCause.class);
            assertThat(cause).isNotNull();
            assertThat(cause.getBadBuild()).isEqualTo(bad.getNumber());
            assertThat(cause.getTargetBuild()).isEqualTo(1);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            j.assertLogContains("deploying v1 rollback=true", revert);
            assertThat(Pipelines.pointOf(2).status()).isEqualTo(PointStatus.REVERTED);
            assertThat(Pipelines.pointOf(3).revertOf()).isEqualTo(Pipelines.pointOf(2).id());
        }
    }

    /** A reverting build that trips freezes the environment; it never schedules another revert. */
    @Test
    void shouldNeverRollBackARollback(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service, 2);
            j.buildAndAssertSuccess(job);
            service.unhealthy();

            j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            j.assertBuildStatus(Result.FAILURE, revert);
            j.assertLogContains("REVERT_FAILED", revert);
            assertThat(job.getLastBuild().getNumber()).isEqualTo(3);
            assertThat(Pipelines.pointOf(3).status()).isEqualTo(PointStatus.BAD);
        }
    }

    /**
     * The Snippet Generator shows the form of the step (the {@code config.jelly} of the step and of each probe and
     * backup kind), binds the submitted form to a step and writes that step as Pipeline Groovy; the Pipeline reads the
     * Groovy back into a step. Every setting of the step and of every probe and backup kind is away from its default
     * (the first assertions prove it, so a lost setting cannot hide behind its default), and each half is checked:
     * the form round trip, the exact snippet, and the snippet read back by the Pipeline DSL.
     */
    @Test
    void shouldKeepEverySettingThroughTheSnippetGenerator(final JenkinsRule j) throws Exception {
        WithRollbackGuardStep step = createFullyConfiguredStep();
        assertThat(step.getProbes()).hasSize(3);
        assertThat(step.getBackups()).hasSize(4);
        assertEverySettingDiffersFromItsDefault(step);
        step.getProbes().forEach(WithRollbackGuardStepITest::assertEverySettingDiffersFromItsDefault);
        step.getBackups().forEach(WithRollbackGuardStepITest::assertEverySettingDiffersFromItsDefault);

        WithRollbackGuardStep fromForm = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, fromForm);

        String snippet = Snippetizer.object2Groovy(step);

        assertThat(snippet).isEqualTo("withRollbackGuard(adopt: true, allowChangeRequests: true, "
                + "artifacts: 'target/*.war', backups: ["
                + "files(exclude: 'cache/**', include: '**/*.jpg, **/*.png', path: '/srv/app/uploads'), "
                + "postgres(credentialsId: 'shop-db-password', database: 'shop', host: 'db.example.com', port: 6432, "
                + "user: 'app'), "
                + "mysql(credentialsId: 'orders-db-password', database: 'orders', host: 'mysql.example.com', "
                + "port: 3307, user: 'orders_app'), "
                + "command(command: './dump.sh {output}', restoreCommand: './load.sh {input}')], "
                + "cooldown: '30m', dataVersion: '42', environment: 'prod', onTrip: 'freeze', "
                + "policy: 'deploy/rollback-guard.yaml', probes: ["
                + "http(baselineSamples: 7, bodyMatch: 'UP', connectTimeout: '2s', consecutiveErrorLimit: 3, "
                + "consecutiveFailureLimit: 2, count: 30, credentialsId: 'shop-health-token', dryRun: true, "
                + "duration: '10m', expectStatus: '200,204', failIf: 'drop > 20%', failureLimit: 1, "
                + "inconclusiveLimit: 1, initialDelay: '30s', interval: '15s', "
                + "jsonPointer: '/payments/successRate', maxBodyBytes: 4096, method: 'HEAD', minSamples: 2, "
                + "name: 'checkout', onError: 'fail', onNoData: 'ignore', redirects: 'never', "
                + "successIf: '>= 0.99', timeout: '5s', url: 'https://shop.example.com/health', "
                + "window: '3 of 5'), prometheus(aggregation: 'max', baselineSamples: 7, "
                + "consecutiveErrorLimit: 3, consecutiveFailureLimit: 2, count: 20, "
                + "credentialsId: 'prometheus-token', dryRun: true, duration: '10m', failIf: '> 5%', "
                + "failureLimit: 1, inconclusiveLimit: 1, initialDelay: '30s', interval: '30s', "
                + "minSamples: 2, name: 'errors', onError: 'fail', onNoData: 'ignore', "
                + "query: 'sum(rate(http_errors_total[1m]))', successIf: '< 1%', timeout: '5s', "
                + "url: 'http://prometheus.example.com:9090', window: '3 of 5'), command(baselineSamples: 7, "
                + "command: './smoke.sh --quick', consecutiveErrorLimit: 3, consecutiveFailureLimit: 2, "
                + "count: 5, dryRun: true, duration: '10m', failIf: '> 500', failureLimit: 1, "
                + "inconclusiveLimit: 1, initialDelay: '30s', interval: '1m', minSamples: 2, name: 'smoke', "
                + "onError: 'fail', onNoData: 'ignore', successIf: '< 200', timeout: '5s', "
                + "valuePattern: 'latency=([0-9]+)ms', window: '3 of 5')], "
                + "probesFromController: true) {\n    // some block\n}");

        Step fromSnippet = parseSnippet(j, snippet);

        assertThat(fromSnippet).isInstanceOf(WithRollbackGuardStep.class);
        j.assertEqualDataBoundBeans(step, fromSnippet);
    }

    /** @return a step whose every setting, and every setting of each probe and backup kind, is not the default */
    private static WithRollbackGuardStep createFullyConfiguredStep() {
        HttpGuardProbe http = new HttpGuardProbe("checkout", "https://shop.example.com/health");
        http.setExpectStatus("200,204");
        http.setJsonPointer("/payments/successRate");
        http.setFailIf("drop > 20%");
        http.setSuccessIf(">= 0.99");
        http.setInterval("15s");
        http.setCount(30);
        http.setCredentialsId("shop-health-token");
        http.setMethod("HEAD");
        http.setBodyMatch("UP");
        http.setConnectTimeout("2s");
        http.setRedirects("never");
        http.setMaxBodyBytes(4096);
        http.setTimeout("5s");
        http.setDuration("10m");
        http.setInitialDelay("30s");
        http.setFailureLimit(1);
        http.setConsecutiveFailureLimit(2);
        http.setWindow("3 of 5");
        http.setConsecutiveErrorLimit(3);
        http.setInconclusiveLimit(1);
        http.setMinSamples(2);
        http.setOnError("fail");
        http.setOnNoData("ignore");
        http.setDryRun(true);
        http.setBaselineSamples(7);
        PrometheusGuardProbe prometheus = new PrometheusGuardProbe("errors", "http://prometheus.example.com:9090",
                "sum(rate(http_errors_total[1m]))");
        prometheus.setAggregation("max");
        prometheus.setFailIf("> 5%");
        prometheus.setSuccessIf("< 1%");
        prometheus.setInterval("30s");
        prometheus.setCount(20);
        prometheus.setCredentialsId("prometheus-token");
        prometheus.setTimeout("5s");
        prometheus.setDuration("10m");
        prometheus.setInitialDelay("30s");
        prometheus.setFailureLimit(1);
        prometheus.setConsecutiveFailureLimit(2);
        prometheus.setWindow("3 of 5");
        prometheus.setConsecutiveErrorLimit(3);
        prometheus.setInconclusiveLimit(1);
        prometheus.setMinSamples(2);
        prometheus.setOnError("fail");
        prometheus.setOnNoData("ignore");
        prometheus.setDryRun(true);
        prometheus.setBaselineSamples(7);
        CommandGuardProbe command = new CommandGuardProbe("smoke", "./smoke.sh --quick");
        command.setValuePattern("latency=([0-9]+)ms");
        command.setFailIf("> 500");
        command.setSuccessIf("< 200");
        command.setInterval("1m");
        command.setCount(5);
        command.setTimeout("5s");
        command.setDuration("10m");
        command.setInitialDelay("30s");
        command.setFailureLimit(1);
        command.setConsecutiveFailureLimit(2);
        command.setWindow("3 of 5");
        command.setConsecutiveErrorLimit(3);
        command.setInconclusiveLimit(1);
        command.setMinSamples(2);
        command.setOnError("fail");
        command.setOnNoData("ignore");
        command.setDryRun(true);
        command.setBaselineSamples(7);

        FilesGuardBackup files = new FilesGuardBackup("/srv/app/uploads");
        files.setInclude("**/*.jpg, **/*.png");
        files.setExclude("cache/**");
        PostgresGuardBackup postgres = new PostgresGuardBackup("db.example.com", "shop", "app");
        postgres.setPort(6432);
        postgres.setCredentialsId("shop-db-password");
        MysqlGuardBackup mysql = new MysqlGuardBackup("mysql.example.com", "orders", "orders_app");
        mysql.setPort(3307);
        mysql.setCredentialsId("orders-db-password");
        CommandGuardBackup dump = new CommandGuardBackup("./dump.sh {output}");
        dump.setRestoreCommand("./load.sh {input}");

        WithRollbackGuardStep step = new WithRollbackGuardStep();
        step.setEnvironment("prod");
        step.setPolicy("deploy/rollback-guard.yaml");
        step.setProbes(List.of(http, prometheus, command));
        step.setBackups(List.of(files, postgres, mysql, dump));
        step.setOnTrip("freeze");
        step.setCooldown("30m");
        step.setDataVersion("42");
        step.setAdopt(true);
        step.setAllowChangeRequests(true);
        step.setProbesFromController(true);
        step.setArtifacts("target/*.war");
        return step;
    }

    /**
     * Asserts that no data-bound parameter of an object has its default value: the structs model, which the Snippet
     * Generator uses, leaves out exactly the parameters that equal those of an object made from the required ones
     * alone. A parameter added later fails this until the test sets it.
     */
    private static void assertEverySettingDiffersFromItsDefault(final Object describable) {
        DescribableModel<?> model = DescribableModel.of(describable.getClass());
        List<String> parameters = model.getParameters().stream().map(DescribableParameter::getName).toList();

        assertThat(DescribableModel.uninstantiate2_(describable).getArguments().keySet())
                .as("the settings of %s that differ from their defaults", describable.getClass().getSimpleName())
                .containsExactlyInAnyOrderElementsOf(parameters);
    }

    /**
     * Reads a snippet as the Pipeline does: a Groovy script whose method calls go to the Pipeline DSL, which makes
     * the nested probes and backups from their symbols; the step is only instantiated from its arguments, not run.
     */
    private static Step parseSnippet(final JenkinsRule j, final String snippet) {
        CompilerConfiguration compiler = new CompilerConfiguration();
        compiler.setScriptBaseClass(DelegatingScript.class.getName());
        GroovyShell shell = new GroovyShell(j.jenkins.getPluginManager().uberClassLoader, new Binding(), compiler);
        DelegatingScript script = (DelegatingScript) shell.parse(snippet);
        script.setDelegate(new DSL(new NoExecution()) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Object invokeStep(final StepDescriptor descriptor, final String name, final Object args) {
                Object[] arguments = (Object[]) args;
                assertThat(arguments).as("named arguments and the block").hasSize(2);
                assertThat(arguments[1]).isInstanceOf(Closure.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> named = (Map<String, Object>) arguments[0];
                // as the DSL instantiates a step (its descriptor does not override newInstance); null logs warnings
                return DescribableModel.of(descriptor.clazz).instantiate(new LinkedHashMap<>(named), null);
            }
        });
        return (Step) script.run();
    }

    /** The owner of a DSL that runs no build: the DSL only needs one to exist. */
    private static final class NoExecution extends FlowExecutionOwner {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressFBWarnings(value = "NP_NONNULL_RETURN_VIOLATION",
                justification = "the DSL only reads steps here and needs no execution, as in SnippetizerTester")
        public FlowExecution get() {
            return null;
        }

        @Override
        public File getRootDir() throws IOException {
            throw new IOException("no build");
        }

        @Override
        public Queue.Executable getExecutable() throws IOException {
            throw new IOException("no build");
        }

        @Override
        public String getUrl() throws IOException {
            throw new IOException("no build");
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof NoExecution;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
