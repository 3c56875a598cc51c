package io.jenkins.plugins.rollbackguard.freestyle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Items;
import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.HttpGuardProbe;
import io.jenkins.plugins.rollbackguard.steps.RollbackCause;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Issue 17: a freestyle job guarded by an inline HTTP probe of "Record rollback point", without a policy file, with
 * {@code failureLimit: 1} and a window: one bad sample after the deploy is tolerated, two trip and revert to the last
 * good build (the deploy step makes the service answer badly, after preflight has reached it once). The
 * probe is the Pipeline step's describable; the field and the form survive the configuration page and a config.xml
 * written before the field existed still loads. Its twins, run by .ci/run: InlineProbeTwinTest (the probe and the
 * form-only policy the freestyle translation gives are the policy file's) and InlineProbeHostsConventionTest (the
 * form offers the probes and translates them through the Pipeline step's code).
 */
@WithJenkins
class FreestyleInlineProbeITest {
    private static final String ENVIRONMENT = "staging";

    @Test
    void shouldTolerateOneBadSampleTripOnTheSecondAndRevertWithoutAPolicyFile(final JenkinsRule j) throws Exception {
        try (Health service = new Health()) {
            FreeStyleProject job = guardedJob(j, service.url());
            job.getBuildersList().add(new Deploy(service)); // after "Record rollback point": the deploy steps
            FreeStyleBuild good = j.buildAndAssertSuccess(job);
            assertThat(pointOf(good).status()).isEqualTo(PointStatus.GOOD);
            assertThat(good.getWorkspace().child(GuardFields.DEFAULT_POLICY_FILE).exists()).as("no policy file")
                    .isFalse();

            service.nextDeployAnswersBadly(1);
            FreeStyleBuild tolerated = j.buildAndAssertSuccess(job);
            assertThat(pointOf(tolerated).status()).as("failureLimit 1 tolerates one bad sample")
                    .isEqualTo(PointStatus.GOOD);

            service.nextDeployAnswersBadly(2);
            FreeStyleBuild tripped = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            j.assertLogContains("failureLimit", tripped);
            assertThat(pointOf(tripped).status()).isEqualTo(PointStatus.REVERTED);
            FreeStyleBuild reverting = job.getLastBuild();
            RollbackCause cause = reverting.getCause(RollbackCause.class);
            assertThat(cause).as("the reverting build").isNotNull();
            assertThat(cause.getBadBuild()).isEqualTo(tripped.getNumber());
            assertThat(cause.getTargetBuild()).as("the last good build").isEqualTo(tolerated.getNumber());
            assertThat(reverting.getResult()).as("the revert is watched by the same probe, healthy again")
                    .isEqualTo(Result.SUCCESS);
            assertThat(pointOf(reverting).status()).isEqualTo(PointStatus.GOOD);
        }
    }

    @Test
    void shouldStopTheBuildWhenTheNamedPolicyFileIsMissingDespiteInlineProbes(final JenkinsRule j) throws Exception {
        try (Health service = new Health()) {
            FreeStyleProject job = guardedJob(j, service.url());
            job.getBuildersList().get(RecordRollbackPointBuilder.class).setPolicyFile("deploy/policy.yaml");

            FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, job);

            j.assertLogContains("The policy file deploy/policy.yaml is not in the workspace: leave the policy file of"
                    + " the step empty to guard the deploy with its inline probes alone.", build);
            assertThat(service.requests()).isZero();
        }
    }

    @Test
    void shouldKeepTheInlineProbesThroughTheConfigurationPageAndConfigXml(final JenkinsRule j) throws Exception {
        FreeStyleProject job = guardedJob(j, "https://shop.example.com/health");
        RecordRollbackPointBuilder record = job.getBuildersList().get(RecordRollbackPointBuilder.class);

        j.configRoundtrip(job); // the hetero list of the form, bound back by Descriptor.newInstancesFromHeteroList

        RecordRollbackPointBuilder bound = job.getBuildersList().get(RecordRollbackPointBuilder.class);
        j.assertEqualDataBoundBeans(record, bound);
        assertThat(bound.getProbes()).singleElement().isInstanceOf(HttpGuardProbe.class);
        String xml = Items.XSTREAM2.toXML(bound);
        assertThat(xml).contains("<probes>", "io.jenkins.plugins.rollbackguard.steps.HttpGuardProbe",
                "<failureLimit>1</failureLimit>", "<window>3 of 5</window>");
        j.assertEqualDataBoundBeans(record, Items.XSTREAM2.fromXML(xml));
    }

    @Test
    void shouldLoadAJobSavedBeforeTheInlineProbesExisted(final JenkinsRule j) throws Exception {
        String old = """
                <?xml version='1.1' encoding='UTF-8'?>
                <project>
                  <builders>
                    <io.jenkins.plugins.rollbackguard.freestyle.RecordRollbackPointBuilder>
                      <environment>staging</environment>
                      <policyFile>rollback-guard.yaml</policyFile>
                      <onTrip>freeze</onTrip>
                      <cooldown></cooldown>
                    </io.jenkins.plugins.rollbackguard.freestyle.RecordRollbackPointBuilder>
                  </builders>
                  <publishers/>
                </project>
                """;
        FreeStyleProject job = (FreeStyleProject) j.jenkins.createProjectFromXML("old",
                new ByteArrayInputStream(old.getBytes(StandardCharsets.UTF_8)));

        RecordRollbackPointBuilder record = job.getBuildersList().get(RecordRollbackPointBuilder.class);

        assertThat(record.getProbes()).isEmpty();
        assertThat(record.policyFileRead()).isEqualTo(GuardFields.DEFAULT_POLICY_FILE);
        assertThat(record.getOnTrip()).isEqualTo("freeze");
        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("The policy file rollback-guard.yaml is not in the workspace.", build);
    }

    /** The job: "Record rollback point" with the inline probe and no policy file, and "Watch the deploy". */
    private static FreeStyleProject guardedJob(final JenkinsRule j, final String url) throws IOException {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        HttpGuardProbe probe = new HttpGuardProbe("health", url);
        probe.setJsonPointer("/rate");
        probe.setFailIf("< 0.9");
        probe.setInterval("200ms");
        probe.setCount(5);
        probe.setFailureLimit(1);
        probe.setWindow("3 of 5");
        probe.setDryRun(false); // as the form's unchecked box binds it (the engine reads null as false too)
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setPolicyFile("");
        record.setProbes(List.of(probe));
        job.getBuildersList().add(record);
        job.getPublishersList().add(new RollbackGuardRecorder(ENVIRONMENT));
        return job;
    }

    private static RollbackPoint pointOf(final FreeStyleBuild build) {
        return new LedgerFacade().getLedger().history(EnvironmentName.of(ENVIRONMENT), 0, 100).stream()
                .filter(point -> point.source().build() == build.getNumber()).findFirst()
                .orElseThrow(() -> new AssertionError("no point for build #" + build.getNumber()));
    }

    /** A deploy step: the service answers as the test said this deploy would make it. */
    private static final class Deploy extends TestBuilder {
        private final transient Health service;

        Deploy(final Health service) {
            super();
            this.service = service;
        }

        @Override
        public boolean perform(final AbstractBuild<?, ?> build, final Launcher launcher,
                final BuildListener listener) {
            service.deployed();
            return true;
        }
    }

    /** The shop's health endpoint: {@code {"rate": 1.0}}, or 0.5 for the first answers after a bad deploy. */
    private static final class Health implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger nextDeployBadAnswers = new AtomicInteger();
        private final AtomicInteger badAnswersLeft = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();

        Health() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/health", exchange -> {
                requests.incrementAndGet();
                String rate = badAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? "0.5" : "1.0";
                byte[] body = ("{\"rate\": " + rate + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
        }

        int requests() {
            return requests.get();
        }

        /** The next deploy makes the service answer badly this many times, then well again. */
        void nextDeployAnswersBadly(final int answers) {
            nextDeployBadAnswers.set(answers);
        }

        void deployed() {
            badAnswersLeft.set(nextDeployBadAnswers.getAndSet(0));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
