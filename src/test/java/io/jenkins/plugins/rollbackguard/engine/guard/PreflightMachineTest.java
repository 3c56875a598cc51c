package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Preflight in the machine's start, driven asynchronously as the Pipeline step and the freestyle pair drive it (the
 * engine twin of {@code WithRollbackGuardPreflightITest}): a policy that cannot run is refused before the lease and
 * the point, and the body never runs; an unreachable probe is refused unless reach is off; a deploy that never
 * started is aborted and not counted in the DORA figures.
 */
class PreflightMachineTest {
    private static final EnvironmentName ENV = EnvironmentName.of("pre");

    @TempDir
    private Path root;
    private MachineRig rig;

    @BeforeEach
    void setUp() {
        rig = new MachineRig(root, 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    private static Policy policy(final String yaml) {
        return new PolicyReader().parse("pre.yaml", "environment: pre\n" + yaml);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Throwable refusal(final Policy policy, final AtomicBoolean ran) throws Exception {
        GuardSession session = rig.session(policy);
        try {
            rig.deploy(session, rig.localHost(session), "run-1", point -> ran.set(true)).get(30, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        }
        throw new AssertionError("the deploy was not refused");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing secret|probes: [{type: http, name: api, url: 'http://127.0.0.1:1/', auth: {bearerSecret: SHOP_TOKEN}}]|probes[0].auth.bearerSecret: no secret named 'SHOP_TOKEN'",
        "command probe|probes: [{type: command, name: c, command: [/nonexistent/check.sh]}]|probes[0].command: '/nonexistent/check.sh' does not exist",
        "backup source|backups: [{type: files, path: /nonexistent/data}]|backups[0].path: '/nonexistent/data' does not exist",
        "hook|hooks: {afterRevert: [{command: [/nonexistent/compensate.sh]}]}|hooks.afterRevert[0].command: '/nonexistent/compensate.sh' does not exist",
        "bare program|hooks: {beforeRevert: [{command: [no-such-program-xyz]}]}|hooks.beforeRevert[0].command: 'no-such-program-xyz' is not on the PATH",
    })
    void shouldRefuseBeforeTheLeaseAndThePoint(final String name, final String yaml, final String expected)
            throws Exception {
        AtomicBoolean ran = new AtomicBoolean();

        Throwable refused = refusal(policy(yaml), ran);

        assertThat(refused).isInstanceOf(PolicyCheckException.class).hasMessageContaining(expected)
                .hasMessageContaining("nothing was recorded or run");
        assertThat(ran).as("the body never ran").isFalse();
        assertThat(rig.ledger().environments()).as("no point, no lease").doesNotContain(ENV);
    }

    @Test
    void shouldRefuseWhatTheHostFindsWhereItsProgramsRun(@TempDir final Path agentBin) throws Exception {
        // the twin of the Jenkins hosts: they check on the build's agent (AgentFileChecks), with the build's PATH;
        // here the "agent" is a PATH on which the hook's program is missing although this process has it
        Policy policy = policy("hooks: {beforeRevert: [{command: [sh]}]}\n");
        GuardSession session = rig.session(policy);
        GuardMachine.Host local = rig.localHost(session);
        AtomicBoolean ran = new AtomicBoolean();
        GuardMachine.Host agent = new DelegatingHost(local) {
            @Override
            public FileChecks.Result checkFiles(final Policy checked) {
                return FileChecks.check(checked, agentBin.toString());
            }
        };
        assertThat(FileChecks.check(policy, System.getenv("PATH")).problems()).as("sh is here").isEmpty();

        Throwable refused;
        try {
            rig.deploy(session, agent, "run-1", point -> ran.set(true)).get(30, TimeUnit.SECONDS);
            throw new AssertionError("the deploy was not refused");
        }
        catch (java.util.concurrent.ExecutionException e) {
            refused = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        }

        assertThat(refused).isInstanceOf(PolicyCheckException.class)
                .hasMessageContaining("hooks.beforeRevert[0].command: 'sh' is not on the PATH");
        assertThat(ran).isFalse();
        assertThat(rig.ledger().environments()).doesNotContain(ENV);
    }

    @Test
    void shouldNameEveryProgramOfAHostWithNowhereToRunThem() {
        Policy policy = policy("""
                probes: [{type: command, name: c, command: [/bin/true]}]
                dataVersion: {command: [/bin/echo, '7']}
                """);

        FileChecks.Result result = FileChecks.nowhere(policy, "needs a node: put withRollbackGuard inside node { }");

        assertThat(result.problems()).containsExactly(
                "probes[0].command: '/bin/true' needs a node: put withRollbackGuard inside node { }",
                "dataVersion.command: '/bin/echo' needs a node: put withRollbackGuard inside node { }");
        assertThat(FileChecks.check(policy, null).problems()).as("absolute paths need no PATH").isEmpty();
    }

    @Test
    void shouldNameEveryProblemAndTheToolOfABackup() throws Exception {
        Throwable refused = refusal(policy("""
                backups: [{type: command, command: [/nonexistent/dump.sh, '{output}']}]
                dataVersion: {command: [/nonexistent/schema]}
                """), new AtomicBoolean());

        assertThat(refused).hasMessageContaining("dataVersion.command: '/nonexistent/schema' does not exist")
                .hasMessageContaining("(and 1 more: backups[0].command: '/nonexistent/dump.sh' does not exist");
    }

    @Test
    void shouldRefuseAnUnreachableProbeUnlessReachIsOff() throws Exception {
        Policy policy = policy("probes: [{type: http, name: api, url: 'http://127.0.0.1:%d/'}]".formatted(closedPort()));
        AtomicBoolean ran = new AtomicBoolean();

        Throwable refused = refusal(policy, ran);

        assertThat(refused).isInstanceOf(GuardRefusedException.class).hasMessageContaining("probes[0] (api)")
                .hasMessageContaining("connection refused").hasMessageContaining("preflight: {reach: false}");
        assertThat(ran).isFalse();
        assertThat(rig.ledger().size(ENV)).as("reached under the lease: no point recorded").isZero();
        assertThat(rig.ledger().lease(ENV)).as("the lease given back").isEmpty();

        GuardSession session = rig.session(policy.withReach(false));
        GuardMachine machine = session.machine(rig.localHost(session));
        GuardMachine.Step step = machine.start(request(), false).get(30, TimeUnit.SECONDS);
        assertThat(step).as("reach off: the deploy goes on").isInstanceOf(GuardMachine.Deploy.class);
        machine.interrupt(Interruption.USER, "test over").get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldCountAnyHttpAnswerAsReachedEvenA500() throws Exception {
        try (io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer server =
                     new io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer()) {
            Policy policy = policy("probes: [{type: http, name: api, url: '%s/error'}]".formatted(server.url()));
            GuardSession session = rig.session(policy);
            GuardMachine machine = session.machine(rig.localHost(session));

            GuardMachine.Step step = machine.start(request(), false).get(30, TimeUnit.SECONDS);

            assertThat(step).isInstanceOf(GuardMachine.Deploy.class);
            assertThat(session.timeline().entries().toString()).contains("1 probe(s) reached once");
            machine.interrupt(Interruption.USER, "test over").get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAbortADeployThatNeverStartedWithoutCountingIt() throws Exception {
        GuardSession session = rig.session(policy("probes: []"));
        GuardMachine machine = session.machine(rig.localHost(session));
        RollbackPoint deploying = ((GuardMachine.Deploy) machine.start(request(), false).get(30, TimeUnit.SECONDS)).point();
        long counted = rig.ledger().dora(ENV).deploys();

        GuardMachine.Step end = machine.deployEnded(deploying, new GuardMachine.NeverStarted("Cannot start './x.sh'"))
                .get(30, TimeUnit.SECONDS);

        GuardOutcome outcome = ((GuardMachine.Done) end).outcome();
        assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.ABORTED);
        assertThat(outcome.exitCode()).isEqualTo(1);
        RollbackPoint aborted = rig.ledger().point(ENV, deploying.id());
        assertThat(aborted.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(aborted.verdict()).contains("never started");
        assertThat(counted).isEqualTo(1);
        assertThat(rig.ledger().dora(ENV).deploys()).isZero();
        assertThat(rig.ledger().circuit(ENV).isOpen()).isFalse();
    }

    private static DeployRequest request() {
        return new DeployRequest(PointSource.cli("run-1"), List.of(), null, Map.of(), "tester", null, 0, "manual", null,
                Map.of());
    }
}
