package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight through the packaged CLI: a policy that cannot run as written is refused before anything is recorded
 * or run (exit 3), an unreachable probe refuses the deploy (exit 4) unless {@code --no-reach}, a deploy command that
 * cannot start aborts its point without counting it as a deploy, and {@code validate} and {@code deploy --dry-run}
 * change no file under the home directory. The deploy command writes a marker file: it ran if and only if the
 * marker exists.
 */
class PreflightCliE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("pre");

    @TempDir
    private Path work;

    private CliProcess cli;
    private Path marker;
    private Path artifact;
    private int closedPort;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliProcess(work.resolve("home"));
        marker = work.resolve("deployed.marker");
        artifact = Files.writeString(work.resolve("app-1.0.txt"), "version=1.0");
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // closed once the socket is: connections to it are refused
        }
    }

    private Path policy(final String yaml) throws IOException {
        return Files.writeString(work.resolve("policy-" + System.nanoTime() + ".yaml"), "environment: pre\n" + yaml);
    }

    private String[] deploy(final Path policy, final String... extra) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact",
                artifact.toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", "/bin/sh", "-c", "echo ran > '" + marker + "'"));
        return args.toArray(String[]::new);
    }

    private long points() {
        Ledger ledger = Ledger.open(work.resolve("home/ledger"));
        return ledger.environments().contains(ENV) ? ledger.size(ENV) : 0;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing secret|probes: [{type: http, name: api, url: 'http://127.0.0.1:1/', auth: {bearerSecret: SHOP_TOKEN}}]|probes[0].auth.bearerSecret: no secret named 'SHOP_TOKEN'",
        "bad bodyMatch regex|probes: [{type: http, name: api, url: 'http://127.0.0.1:1/', bodyMatch: '(['}]|probes[0]",
        "command probe missing|probes: [{type: command, name: check, command: [/nonexistent/check.sh]}]|probes[0].command: '/nonexistent/check.sh' does not exist",
        "backup source missing|backups: [{type: files, path: /nonexistent/shop-data}]|backups[0].path: '/nonexistent/shop-data' does not exist",
        "backup tool missing|backups: [{type: command, command: [/nonexistent/dump.sh, '{output}']}]|backups[0].command: '/nonexistent/dump.sh' does not exist",
        "hook missing|hooks: {beforeRevert: [{name: pause, command: [/nonexistent/pause-sync.sh]}]}|hooks.beforeRevert[0].command: '/nonexistent/pause-sync.sh' does not exist",
        "data version command missing|dataVersion: {command: [/nonexistent/schema-version]}|dataVersion.command: '/nonexistent/schema-version' does not exist",
    })
    void shouldRefuseAPolicyThatCannotRunBeforeAnythingIsRecordedOrRun(final String name, final String yaml,
                                                                       final String expected) throws Exception {
        Path policy = policy(yaml);

        CliProcess.Result result = cli.run(env -> env.remove("SHOP_TOKEN"), deploy(policy));

        assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.DATA);
        assertThat(result.output()).contains(policy.toString()).contains(expected)
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(points()).as("no point recorded").isZero();
        assertThat(marker).as("the deploy command never ran").doesNotExist();
    }

    @Test
    void shouldRefuseAnUnreachableProbeAndDeployWithNoReach() throws Exception {
        Path policy = policy("""
                probes:
                  - type: http
                    name: api
                    url: http://127.0.0.1:%d/health
                    analysis: {interval: 200ms, count: 1, failureLimit: 1}
                """.formatted(closedPort));

        CliProcess.Result refused = cli.run(deploy(policy));

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.output()).contains("probes[0] (api)").contains("cannot be reached")
                .contains("--no-reach").contains("preflight: {reach: false}");
        assertThat(points()).isZero();
        assertThat(marker).doesNotExist();

        CliProcess.Result hotfix = cli.run(deploy(policy, "--no-reach"));

        assertThat(marker).as(hotfix.output()).exists();
        assertThat(hotfix.output()).contains("probes not reached");
        assertThat(points()).isEqualTo(1);
    }

    @Test
    void shouldHonourReachFalseInThePolicy() throws Exception {
        Path policy = policy("""
                preflight: {reach: false}
                probes:
                  - type: http
                    name: api
                    url: http://127.0.0.1:%d/health
                    analysis: {interval: 200ms, count: 1, failureLimit: 1}
                """.formatted(closedPort));

        CliProcess.Result result = cli.run(deploy(policy));

        assertThat(marker).as(result.output()).exists();
        assertThat(result.exit()).isNotIn(ExitCodes.DATA, ExitCodes.REFUSED);
    }

    @Test
    void shouldAbortADeployWhoseCommandCannotStartWithoutCountingIt() throws Exception {
        Path policy = policy("probes: []\n");
        assertThat(cli.run("adopt", "--policy", policy.toString(), "--artifact", artifact.toString(), "--", "true")
                .exit()).isZero();
        long before = Ledger.open(work.resolve("home/ledger")).dora(ENV).deploys();

        CliProcess.Result result = cli.run("deploy", "--policy", policy.toString(), "--artifact", artifact.toString(),
                "--", "./nonexistent.sh");

        assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.output()).contains("never started");
        Ledger ledger = Ledger.open(work.resolve("home/ledger"));
        assertThat(ledger.point(ENV, 2).status()).isEqualTo(PointStatus.ABORTED);
        assertThat(ledger.point(ENV, 2).verdict()).contains("never started");
        assertThat(ledger.dora(ENV).deploys()).as("a deploy that never started is no deploy").isEqualTo(before);
        assertThat(ledger.circuit(ENV).isOpen()).isFalse();
    }

    @Test
    void shouldValidateWithoutChangingAnyFileUnderTheHome() throws Exception {
        Path good = policy("probes: [{type: http, name: api, url: 'http://127.0.0.1:%d/'}]\n".formatted(closedPort));
        Path bad = policy("hooks: {afterRevert: [{command: [/nonexistent/compensate.sh]}]}\n");
        CliProcess.Result adopted = cli.run("adopt", "--policy", policy("probes: []\n").toString(), "--artifact",
                artifact.toString(), "--", "true");
        assertThat(adopted.exit()).as(adopted.output()).isZero();
        Map<String, String> before = listing();
        assertThat(before).as("a home with a ledger and an artifact in it").containsKey("ledger");

        CliProcess.Result valid = cli.run("validate", "--policy", good.toString());
        CliProcess.Result unreachable = cli.run("validate", "--policy", good.toString(), "--reach");
        CliProcess.Result invalid = cli.run("validate", "--policy", bad.toString());

        assertThat(valid.exit()).as(valid.output()).isZero();
        assertThat(valid.output()).contains("can run");
        assertThat(unreachable.exit()).as(unreachable.output()).isEqualTo(ExitCodes.REFUSED);
        assertThat(invalid.exit()).as(invalid.output()).isEqualTo(ExitCodes.DATA);
        assertThat(invalid.output()).contains(bad.toString()).contains("hooks.afterRevert[0].command");
        assertThat(listing()).as("no file under the home changed").isEqualTo(before);
    }

    @Test
    void shouldDryRunADeployWithItsPlanWithoutChangingAnyFileUnderTheHome() throws Exception {
        Path data = Files.createDirectories(work.resolve("shop-data"));
        Files.writeString(data.resolve("orders.csv"), "1,paid\n");
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"ok\":0.97}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String probes = """
                    dataVersion: {value: '41'}
                    backups: [{type: files, path: '%s'}]
                    probes:
                      - type: http
                        name: checkout
                        url: http://127.0.0.1:%d/health
                        jsonPointer: /ok
                        failIf: drop > 20%%
                        analysis: {interval: 100ms, count: 2, baselineSamples: 3}
                    """.formatted(data, server.getAddress().getPort());
            CliProcess.Result adopted = cli.run("adopt", "--policy", policy(probes).toString(), "--artifact",
                    artifact.toString(), "--", "true");
            assertThat(adopted.exit()).as(adopted.output()).isZero();
            Map<String, String> before = listing();
            int reachedBefore = requests.get();

            CliProcess.Result planned = cli.run(deploy(policy(probes), "--dry-run"));

            assertThat(planned.exit()).as(planned.output()).isZero();
            assertThat(planned.output()).contains("it would be point #2").contains("nothing was deployed or recorded")
                    .contains("artifact: app-1.0.txt").contains("not stored")
                    .contains("baseline checkout: median 0.97 of 3 samples")
                    .contains("backup to take: files " + data)
                    .contains("data version: 41, as at pre#1").contains("if it trips: revert to pre#1");
            assertThat(requests.get() - reachedBefore).as("reached once, then 3 baseline samples").isEqualTo(4);
            assertThat(marker).as("the deploy command never ran").doesNotExist();
            assertThat(listing()).as("no file under the home changed").isEqualTo(before);

            CliProcess.Result changed = cli.run(deploy(policy(probes.replace("'41'", "'42'")), "--dry-run"));

            assertThat(changed.exit()).as(changed.output()).isZero();
            assertThat(changed.output()).contains("data version: 42")
                    .contains("no automatic revert: data version changed from 41 (#1) to 42 (#2)");
            assertThat(listing()).isEqualTo(before);
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void shouldDryRunInAnEmptyHomeWithoutCreatingItAndRefuseAsADeployWould() throws Exception {
        CliProcess.Result planned = cli.run(deploy(policy("probes: []\n"), "--dry-run"));

        assertThat(planned.exit()).as(planned.output()).isZero();
        assertThat(planned.output()).contains("it would be point #1").contains("first deploy to 'pre'");
        assertThat(work.resolve("home")).as("a dry run creates nothing").doesNotExist();

        CliProcess.Result refused = cli.run(env -> env.remove("SHOP_TOKEN"), deploy(policy(
                "probes: [{type: http, name: api, url: 'http://127.0.0.1:1/', auth: {bearerSecret: SHOP_TOKEN}}]\n"),
                "--dry-run"));

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.DATA);
        assertThat(refused.output()).contains("no secret named 'SHOP_TOKEN'");
        assertThat(work.resolve("home")).doesNotExist();
        assertThat(marker).doesNotExist();
    }

    @Test
    void shouldLeaveNoStoredArtifactBehindARefusedDeploy() throws Exception {
        CliProcess.Result refused = cli.run(deploy(policy(
                "probes: [{type: http, name: api, url: 'http://127.0.0.1:%d/'}]\n".formatted(closedPort))));

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.REFUSED);
        Path artifacts = work.resolve("home/artifacts");
        assertThat(listing().keySet()).as("nothing stored for a refused deploy")
                .noneMatch(path -> path.startsWith("artifacts") && Files.isRegularFile(work.resolve("home").resolve(path)));
        assertThat(artifacts.toFile().exists() ? Files.walk(artifacts).filter(Files::isRegularFile).count() : 0).isZero();
    }

    @Test
    void shouldValidateInAnEmptyHomeWithoutCreatingIt() {
        CliProcess.Result valid = cli.run("validate", "--policy", write("probes: []\n").toString());

        assertThat(valid.exit()).as(valid.output()).isZero();
        assertThat(work.resolve("home")).as("validate creates nothing").doesNotExist();
    }

    private Path write(final String yaml) {
        try {
            return policy(yaml);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every file under the home directory, with its size and modification time. */
    private Map<String, String> listing() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path home = work.resolve("home");
        if (!Files.exists(home)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(home)) {
            for (Path path : all.toList()) {
                files.put(home.relativize(path).toString(), Files.isDirectory(path) ? "dir "
                        + Files.getLastModifiedTime(path).toMillis()
                        : Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis());
            }
        }
        return files;
    }
}
