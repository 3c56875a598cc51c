package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user unpacks it: the launcher from anywhere and through symlinks, the completion script in
 * bash, the man pages in man. Each check runs the real tool (sh, bash, man) on the files of the tar.gz.
 */
class DistributionE2ETest {
    private static final EnvironmentName PROD = EnvironmentName.of("prod");

    @TempDir
    private Path work;

    private static CliProcess.Result run(final ProcessBuilder builder) throws IOException {
        return CliProcess.finish(builder.redirectErrorStream(true).start(), Duration.ofMinutes(1));
    }

    private static String version() {
        return "rollback-guard " + System.getProperty("rollbackguard.version", "0.1.0-SNAPSHOT");
    }

    @Test
    void shouldRunFromAnotherDirectoryAndThroughSymlinks() throws IOException {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Path links = Files.createDirectories(work.resolve("links"));
        Path relative = Files.createSymbolicLink(links.resolve("rg"), links.relativize(CliProcess.launcher()));
        Path chained = Files.createSymbolicLink(elsewhere.resolve("rollback-guard"), elsewhere.relativize(relative));

        CliProcess.Result direct = run(CliProcess.builder(List.of(), "--version").directory(elsewhere.toFile()));
        CliProcess.Result linked = run(new ProcessBuilder(chained.toString(), "--version").directory(work.toFile()));
        CliProcess.Result onPath = run(onPath(elsewhere, "sh", "-c", "exec rollback-guard --version"));

        assertThat(direct.exit()).as(direct.output()).isZero();
        assertThat(direct.output().strip()).isEqualTo(version());
        assertThat(linked.exit()).as(linked.output()).isZero();
        assertThat(linked.output().strip()).isEqualTo(version());
        assertThat(onPath.exit()).as(onPath.output()).isZero();
        assertThat(onPath.output().strip()).isEqualTo(version());
    }

    /** Without JAVA_HOME, the java on PATH; the launcher itself found on PATH (by sh) through a symlink. */
    private ProcessBuilder onPath(final Path directory, final String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.remove("JAVA_HOME");
        env.put("PATH", directory + ":" + Path.of(CliProcess.java()).getParent() + ":/usr/bin:/bin");
        return builder;
    }

    @Test
    void shouldSayWhatIsWrongWithJavaHome() throws IOException {
        ProcessBuilder builder = CliProcess.builder(List.of(), "--version");
        builder.environment().put("JAVA_HOME", work.resolve("no-java").toString());

        CliProcess.Result result = run(builder);

        assertThat(result.exit()).isEqualTo(127);
        assertThat(result.output().strip()).isEqualTo("rollback-guard: JAVA_HOME is %s, but %s is not an executable: "
                .formatted(work.resolve("no-java"), work.resolve("no-java/bin/java"))
                + "point JAVA_HOME at a Java 17 or later, or unset it to use the java on PATH");
    }

    @Test
    void shouldLoadTheCompletionScriptInBashAndCompleteASubcommand() throws IOException {
        Path script = CliProcess.distribution().resolve("share/bash-completion/completions/rollback-guard");

        CliProcess.Result spec = run(new ProcessBuilder("bash", "-c", "source \"$0\"; complete -p rollback-guard",
                script.toString()));

        assertThat(spec.exit()).as(spec.output()).isZero();
        Matcher function = Pattern.compile("^complete .*-F (\\S+) rollback-guard$", Pattern.MULTILINE).matcher(spec.output());
        assertThat(function.find()).as(spec.output()).isTrue();

        // what bash does on `rollback-guard dep<TAB>` and on `rollback-guard reset --re<TAB>`
        CliProcess.Result words = run(new ProcessBuilder("bash", "-c", """
                source "$0"
                COMP_WORDS=(rollback-guard dep); COMP_CWORD=1; COMP_LINE='rollback-guard dep'; COMP_POINT=${#COMP_LINE}
                "$1" rollback-guard dep rollback-guard; echo "subcommands: ${COMPREPLY[*]}"
                COMPREPLY=()
                COMP_WORDS=(rollback-guard reset --re); COMP_CWORD=2; COMP_LINE='rollback-guard reset --re'; COMP_POINT=${#COMP_LINE}
                "$1" rollback-guard --re reset; echo "options: ${COMPREPLY[*]}"
                """, script.toString(), function.group(1)));

        assertThat(words.output()).contains("subcommands: deploy").contains("options: --reason");
    }

    @Test
    void shouldRenderEveryCommandsManPage() throws IOException {
        Path man1 = CliProcess.distribution().resolve("share/man/man1");
        List<String> pages = new java.util.ArrayList<>(List.of("rollback-guard"));
        RollbackGuardCommand.commandLine().getSubcommands().forEach((name, command) -> {
            if (!command.getCommandSpec().usageMessage().hidden()) { // internal commands have no page
                pages.add("rollback-guard-" + name);
            }
        });

        for (String page : pages) {
            ProcessBuilder builder = new ProcessBuilder("man", "--warnings", "-P", "cat", "-l",
                    man1.resolve(page + ".1").toString());
            builder.environment().put("MANWIDTH", "100");
            builder.environment().put("LC_ALL", "C.UTF-8");
            CliProcess.Result rendered = run(builder);

            assertThat(rendered.exit()).as(page + ": " + rendered.output()).isZero();
            assertThat(rendered.output()).as(page).contains(page.toUpperCase(java.util.Locale.ROOT) + "(1)")
                    .contains("NAME").contains("SYNOPSIS").doesNotContain("warning:");
        }
        ProcessBuilder top = new ProcessBuilder("man", "-P", "cat", "-l", man1.resolve("rollback-guard.1").toString());
        top.environment().put("MANWIDTH", "100");
        assertThat(run(top).output()).contains("rollback-guard - ").contains("deploy").contains("reset")
                .containsIgnoringCase("Exit codes");
    }

    /**
     * The default home comes from the environment: {@code $ROLLBACK_GUARD_HOME}, else {@code $HOME/.rollback-guard};
     * the JVM's user.home (from the password database) is set elsewhere here and must not be used.
     */
    @Test
    void shouldTakeTheHomeFromTheEnvironment() throws IOException {
        Path userHome = work.resolve("passwd-home");
        Path home = work.resolve("home");
        Ledger frozen = Ledger.open(home.resolve(".rollback-guard/ledger"));
        RollbackPoint bad = frozen.record(RollbackPoint.builder(PROD, PointSource.cli("run-1"))
                .gitCommit("bad0001"), "alice", "v2");
        frozen.openCircuit(PROD, "5xx rate 9% > 5%", "guard", bad.id());
        Ledger.open(work.resolve("explicit/ledger")).record(RollbackPoint.builder(PROD, PointSource.cli("run-9"))
                .gitCommit("feed999"), "bob", "v9");

        ProcessBuilder fromHome = CliProcess.builder(List.of("-Duser.home=" + userHome), "status", "--env", "prod");
        fromHome.environment().remove("ROLLBACK_GUARD_HOME");
        fromHome.environment().put("HOME", home.toString());
        ProcessBuilder fromVariable = CliProcess.builder(List.of("-Duser.home=" + userHome), "points", "--env", "prod");
        fromVariable.environment().put("ROLLBACK_GUARD_HOME", work.resolve("explicit").toString());
        fromVariable.environment().put("HOME", home.toString());

        CliProcess.Result status = run(fromHome.directory(work.toFile()));
        CliProcess.Result points = run(fromVariable.directory(work.toFile()));

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("prod: circuit OPEN");
        assertThat(points.exit()).as(points.output()).isZero();
        assertThat(points.output()).contains("feed999").doesNotContain("bad0001");
        assertThat(userHome).doesNotExist();
    }

    /** man finds the pages of the distribution whose bin/ is on PATH (man-db looks beside each PATH entry). */
    @Test
    void shouldFindTheManPageThroughPath() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("man", "-w", "rollback-guard-reset");
        builder.environment().put("PATH", CliProcess.launcher().getParent() + ":/usr/bin:/bin");
        builder.environment().remove("MANPATH");

        CliProcess.Result where = run(builder);

        assertThat(where.output().strip()).isEqualTo(
                CliProcess.distribution().resolve("share/man/man1/rollback-guard-reset.1").toString());
    }
}
