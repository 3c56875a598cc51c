package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.testing.MariaDbServer;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/**
 * Secret scans through the packaged CLI, with real processes and servers: a private PostgreSQL and MariaDB (dumped
 * before each deploy), a local service whose probes need a bearer token and basic authentication, a webhook that
 * needs its own token, revert hooks and a deploy command that get secrets of their own. Every secret is a random
 * value (seeded; the seed is printed). The hooks, the deploy command and a command probe print every secret in every
 * encoding, as a careless script would; one CLI is killed (SIGKILL) while MariaDB is dumped. Then stdout and stderr
 * of every run, every file under the CLI's home, its private temporary directory, every file of /tmp written during
 * the test, the webhook bodies and every process command line seen while the test ran are searched for each value
 * and its base64, URL-encoded and JSON-escaped forms: none may be found.
 */
class SecretScanE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SPECIAL = "/+=&%\" :@";
    private static final String PROBE_USER = "prober";

    @TempDir
    private Path work;

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<CliRun> runs = new ArrayList<>();
    private Path home;
    private Path tmp;
    private Path state;
    private String leaks;
    private String leaksWithParameter;

    /** A finished (or killed) CLI run: its exit code and its two streams, kept apart. */
    private record CliRun(String label, int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    @Test
    void shouldLeaveNoSecretInOutputLedgerBackupsTempFilesOrCommandLines() throws Exception {
        long seed = System.nanoTime();
        System.out.println("secret scan seed: " + seed);
        FileTime testStarted = FileTime.from(Instant.now().minusSeconds(2));
        long started = System.nanoTime();
        createSecrets(new Random(seed));
        home = work.resolve("home");
        tmp = Files.createDirectory(work.resolve("tmp"));
        state = work.resolve("running-version");
        Files.createDirectories(work.resolve("out"));

        try (CommandLineSampler sampler = new CommandLineSampler();
             PostgresServer postgres = PostgresServer.start();
             MariaDbServer mariadb = MariaDbServer.start();
             AuthServer service = new AuthServer(state, secrets.get("SHOP_TOKEN"), PROBE_USER,
                     secrets.get("ADMIN_PASSWORD"), secrets.get("WEBHOOK_TOKEN"))) {
            createDatabases(postgres, mariadb);
            Path policy = policy(service, postgres, mariadb);
            System.out.printf("servers ready after %d ms%n", millisSince(started));

            deployGoodBadFailingKilledAndGoodAgain(policy, mariadb, service);
            sampler.close();
            System.out.printf("deploys done after %d ms; %d command lines seen in %d rounds%n", millisSince(started),
                    sampler.seen().size(), sampler.rounds());
            assertThatTheScenarioReallyRan(sampler, service);
            runs.stream().filter(run -> run.label().equals("deploy-bad") || run.label().equals("deploy-failing"))
                    .forEach(run -> System.out.printf("--- %s (exit %d), as printed:%n%s", run.label(), run.exit(), run.stdout()));
            sampler.seen().values().stream().filter(line -> line.contains("mariadb-dump") || line.contains("pg_dump"))
                    .distinct().limit(4).forEach(line -> System.out.println("seen: " + line));

            SecretScan scan = scanEverything(testStarted, sampler, service);
            System.out.print(scan.report());
            System.out.printf("scan done after %d ms%n", millisSince(started));
            assertThat(scan.hits()).as(scan.report()).isEmpty();
        }
    }

    private void deployGoodBadFailingKilledAndGoodAgain(final Path policy, final MariaDbServer mariadb,
                                                        final AuthServer service) throws Exception {
        CliRun adopted = cli("adopt", adopt(policy, artifact("1.0 good")));
        assertThat(adopted.exit()).as(adopted.all()).isZero();

        CliRun good = cli("deploy-good", deploy(policy, artifact("1.1 good"), "-p", "db_password=" + secrets.get("PARAM"),
                "-p", "release_key=blue"));
        assertThat(good.exit()).as(good.all()).isZero();
        assertThat(good.stdout()).contains("result: GOOD").contains("POSTGRES backup").contains("MYSQL backup")
                .contains("9 secret(s) resolved").contains("WARNING: parameter 'db_password' looks secret");

        CliRun bad = cli("deploy-bad", deploy(policy, artifact("2.0 bad"), "-p", "db_password=" + secrets.get("PARAM")));
        assertThat(bad.exit()).as(bad.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.stdout()).contains("BAD: ").contains("WARNING: parameter 'db_password' looks secret").contains("beforeRevert hook 'pause-sync': ok")
                .contains("afterRevert hook 'resume-sync': ok").contains("result: REVERTED");
        assertThat(cli("reset-1", "reset", "--env", ENV.value(), "--reason", "fixed").exit()).isZero();

        CliRun failing = cli("deploy-failing", deploy(policy, artifact("2.1 fail")));
        assertThat(failing.exit()).as(failing.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(failing.stdout()).contains("deploy failed: ").contains("exit code 7").contains("result: REVERTED");
        assertThat(cli("reset-2", "reset", "--env", ENV.value(), "--reason", "fixed").exit()).isZero();

        killDuringTheMariaDbDump(policy, mariadb);

        CliRun again = cli("deploy-after-kill", deploy(policy, artifact("2.3 good")));
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("INTERRUPTED").contains("result: GOOD");
        assertThat(service.refused()).as("every probe and webhook request carried the right secret").isZero();
    }

    /** SIGKILL of the CLI while mariadb-dump waits for a table lock: its defaults file cannot be removed by it. */
    private void killDuringTheMariaDbDump(final Path policy, final MariaDbServer mariadb) throws Exception {
        Process holder = mariadb.holdLock("shop", "items");
        Path out = work.resolve("out/deploy-killed.out");
        Path err = work.resolve("out/deploy-killed.err");
        Process cli = start(out, err, deploy(policy, artifact("2.2 good")));
        ProcessHandle dump = awaitDump(cli);
        Thread.sleep(300); // mid-dump: it has read its defaults file and waits for the lock
        List<ProcessHandle> children = cli.toHandle().descendants().toList();

        cli.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<Path> left = secretFiles();
        System.out.printf("killed the CLI (pid %d) during mariadb-dump (pid %d); secret files left until the next run "
                + "sweeps them: %d, in %s%n", cli.pid(), dump.pid(), left.size(), left);
        for (Path file : left) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        }
        children.forEach(ProcessHandle::destroyForcibly); // the orphaned dump would wait for the lock for ever
        holder.destroyForcibly();
        holder.waitFor(30, TimeUnit.SECONDS);
        runs.add(new CliRun("deploy-killed", cli.exitValue(), Files.readString(out), Files.readString(err)));
    }

    private ProcessHandle awaitDump(final Process cli) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            var dump = cli.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("mariadb-dump"))
                    .findFirst();
            if (dump.isPresent()) {
                return dump.get();
            }
            if (!cli.isAlive()) {
                throw new AssertionError("the CLI ended before it dumped MariaDB, exit " + cli.exitValue());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("mariadb-dump did not start within 90 s");
    }

    private List<Path> secretFiles() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains("rollback-guard-secrets-")).toList();
        }
    }

    private void assertThatTheScenarioReallyRan(final CommandLineSampler sampler, final AuthServer service)
            throws IOException {
        assertThat(sampler.saw("pg_dump")).as("pg_dump was seen running").isTrue();
        assertThat(sampler.saw("mariadb-dump")).as("mariadb-dump was seen running").isTrue();
        assertThat(sampler.saw("SYNC_API_TOKEN")).as("a revert hook was seen running").isTrue();
        assertThat(sampler.saw("APP_DEPLOY_TOKEN")).as("a deploy command was seen running").isTrue();
        assertThat(service.hookBodies()).as("webhooks told of trips and reverts").hasSizeGreaterThanOrEqualTo(6);
        assertThat(secretFiles()).as("the next CLI run swept the killed one's secret files").isEmpty();
        try (Stream<Path> dirs = Files.list(tmp)) {
            assertThat(dirs.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("rollback-guard-secrets-"));
        }
        Ledger ledger = Ledger.open(home.resolve("ledger"));
        RollbackPoint first = ledger.point(ENV, 2);
        assertThat(first.parameters()).containsEntry("db_password", "****").containsEntry("release_key", "blue");
        assertThat(ledger.point(ENV, 3).parameters()).containsEntry("db_password", "****");
        assertThat(ledger.point(ENV, 3).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(ledger.point(ENV, 4).revertOf()).isEqualTo(3);
    }

    private SecretScan scanEverything(final FileTime testStarted, final CommandLineSampler sampler,
                                      final AuthServer service) {
        SecretScan scan = new SecretScan();
        secrets.forEach(scan::secret);
        scan.needle("ADMIN_PASSWORD", "basic-auth base64", basicAuth());
        for (CliRun run : runs) {
            scan.text("CLI stdout", run.label(), run.stdout());
            scan.text("CLI stderr", run.label(), run.stderr());
        }
        scan.tree("home directory", home, null);
        scan.tree("private TMPDIR", tmp, null);
        scan.tree("/tmp (written during test)", Path.of("/tmp"), testStarted);
        service.hookBodies().forEach(body -> scan.text("webhook bodies", "body", body));
        // The user typed the -p value on the CLI's own command line: that is what its warning is about. Only that
        // one occurrence is excused; the value anywhere else on any command line is a hit.
        String typed = "db_password=" + secrets.get("PARAM");
        sampler.seen().forEach((process, line) ->
                scan.text("process command lines", process, line.replace(typed, "db_password=(typed by the user)")));
        return scan;
    }

    private String basicAuth() {
        return java.util.Base64.getEncoder().encodeToString((PROBE_USER + ":" + secrets.get("ADMIN_PASSWORD"))
                .getBytes(StandardCharsets.UTF_8));
    }

    private void createSecrets(final Random random) {
        for (String name : List.of("SHOP_TOKEN", "ADMIN_PASSWORD", "WEBHOOK_TOKEN", "SYNC_TOKEN", "DEPLOY_TOKEN",
                "PG_PASSWORD", "MARIADB_PASSWORD", "PARAM")) {
            secrets.put(name, secret(random));
        }
        List<String> forms = new ArrayList<>();
        secrets.forEach((name, value) -> {
            if (!name.equals("PARAM")) {
                forms.addAll(SecretScan.forms(value).values());
            }
        });
        forms.add(basicAuth());
        leaks = String.join(" | ", forms);
        // A parameter is a secret only to the runs it is given to: only they print it.
        leaksWithParameter = leaks + " | " + String.join(" | ", SecretScan.forms(secrets.get("PARAM")).values());
    }

    /** A distinctive value: letters and digits around characters that URL-encoding and JSON-escaping change. */
    private static String secret(final Random random) {
        StringBuilder text = new StringBuilder("Rg");
        for (int i = 0; i < 14; i++) {
            text.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        for (int i = 0; i < 3; i++) {
            text.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        }
        text.append('"').append('/').append(' ');
        for (int i = 0; i < 8; i++) {
            text.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return text.toString();
    }

    private void createDatabases(final PostgresServer postgres, final MariaDbServer mariadb) {
        postgres.createUserAndDatabase("app", secrets.get("PG_PASSWORD"), "shop");
        postgres.sql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text); "
                + "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g; ALTER TABLE items OWNER TO app");
        mariadb.createUserAndDatabase("app", secrets.get("MARIADB_PASSWORD"), "shop");
        mariadb.sql("shop", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB; "
                + "INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_500");
    }

    private Path policy(final AuthServer service, final PostgresServer postgres, final MariaDbServer mariadb)
            throws IOException {
        String analysis = "{interval: 250ms, count: 3, initialDelay: 0s}";
        String hook = "[sh, -c, 'sleep 0.2; printf \"%%s\\n\" \"%s sync with $SYNC_API_TOKEN\" \"$RG_LEAKS\"']";
        return Files.writeString(work.resolve("policy.yaml"), """
                environment: shop
                probes:
                  - {type: http, name: stats, url: '%s', auth: {bearerSecret: SHOP_TOKEN}, jsonPointer: /error_rate,
                     failIf: '> 5%%', analysis: %s}
                  - {type: http, name: admin, url: '%s', auth: {username: %s, passwordSecret: ADMIN_PASSWORD}, analysis: %s}
                  - type: command
                    name: canary
                    command: [sh, -c, 'if grep -q bad "$RG_STATE"; then printf "%%s\\n" "down: $CANARY_KEY" "$RG_LEAKS" >&2; exit 1; fi']
                    secretEnvironment: {CANARY_KEY: SHOP_TOKEN}
                    analysis: %s
                backups:
                  - {type: postgres, host: 127.0.0.1, port: %d, database: shop, user: app, passwordSecret: PG_PASSWORD}
                  - {type: mysql, host: 127.0.0.1, port: %d, database: shop, user: app, passwordSecret: MARIADB_PASSWORD}
                notifications:
                  - {url: '%s', tokenSecret: WEBHOOK_TOKEN}
                hooks:
                  beforeRevert:
                    - {name: pause-sync, command: %s, secretEnvironment: {SYNC_API_TOKEN: SYNC_TOKEN}}
                  afterRevert:
                    - {name: resume-sync, command: %s, secretEnvironment: {SYNC_API_TOKEN: SYNC_TOKEN}}
                deploySecretEnvironment: {APP_DEPLOY_TOKEN: DEPLOY_TOKEN}
                publicParameters: [release_key]
                cooldown: 1s
                lockTimeout: 2m
                """.formatted(service.url("/stats"), analysis, service.url("/admin"), PROBE_USER, analysis, analysis,
                postgres.port(), mariadb.port(), service.url("/hook"), hook.formatted("pausing"),
                hook.formatted("resuming")));
    }

    private Path artifact(final String version) throws IOException {
        return Files.writeString(work.resolve("shop-" + version.replace(' ', '-') + ".properties"), "version=" + version + "\n");
    }

    /** The deploy command: records the running version, checks its secret, prints every secret, fails for "fail". */
    private static List<String> deployCommand() {
        return List.of("sh", "-c", "cp \"$1\" \"$RG_STATE\"; [ \"$APP_DEPLOY_TOKEN\" = \"$DEPLOY_TOKEN\" ] || exit 9; "
                + "printf '%s\\n' \"deploying with $APP_DEPLOY_TOKEN\" \"$RG_LEAKS\"; sleep 0.3; "
                + "if grep -q fail \"$1\"; then printf '%s\\n' \"$RG_LEAKS\" >&2; exit 7; fi", "deploy", "{artifact}");
    }

    private static String[] adopt(final Path policy, final Path artifact) {
        List<String> args = new ArrayList<>(List.of("adopt", "--policy", policy.toString(), "--artifact", artifact.toString(), "--"));
        args.addAll(deployCommand());
        return args.toArray(String[]::new);
    }

    private static String[] deploy(final Path policy, final Path artifact, final String... options) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact", artifact.toString()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(deployCommand());
        return args.toArray(String[]::new);
    }

    private CliRun cli(final String label, final String... args) throws InterruptedException, IOException {
        Path out = work.resolve("out/" + label + ".out");
        Path err = work.resolve("out/" + label + ".err");
        Process process = start(out, err, args);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(label + " did not finish in 3 minutes");
        }
        CliRun run = new CliRun(label, process.exitValue(), Files.readString(out), Files.readString(err));
        runs.add(run);
        return run;
    }

    /** Starts the packaged CLI with the secrets in its environment and a private temporary directory. */
    private Process start(final Path out, final Path err, final String... args) {
        ProcessBuilder builder = CliProcess.builder(List.of("-Djava.io.tmpdir=" + tmp), args)
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("ROLLBACK_GUARD_HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("RG_STATE", state.toString());
        env.put("RG_LEAKS", List.of(args).contains("db_password=" + secrets.get("PARAM")) ? leaksWithParameter : leaks);
        secrets.forEach((name, value) -> {
            if (!name.equals("PARAM")) {
                env.put(name, value);
            }
        });
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millisSince(final long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
