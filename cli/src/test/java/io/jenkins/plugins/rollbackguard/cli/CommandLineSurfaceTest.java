package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as a new user meets it: help with full sentences and one example per command, a mistyped option
 * named with picocli's suggestion, no arguments as bad usage, and {@code --home} on every command.
 */
class CommandLineSurfaceTest {
    @TempDir
    private Path root;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(final String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RollbackGuardCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every command a user sees (hidden ones and picocli's {@code help} apart), subcommands included. */
    private static List<CommandLine> visibleCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(RollbackGuardCommand.commandLine(), all);
        return all;
    }

    private static void collect(final CommandLine command, final List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream()
                .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .filter(sub -> !(sub.getCommand() instanceof CommandLine.HelpCommand))
                .forEach(sub -> collect(sub, into));
    }

    @Test
    void shouldWriteEverySummaryAndDescriptionAsFullSentences() {
        List<String> cut = new ArrayList<>();
        for (CommandLine command : visibleCommands()) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().header()));
            texts.addAll(List.of(spec.usageMessage().description()));
            assertThat(texts).as(name + " has a summary").isNotEmpty();
            texts.stream().filter(text -> !text.strip().endsWith(".")).forEach(text -> cut.add(name + ": " + text));
            for (OptionSpec option : spec.options()) {
                if (!option.hidden()) {
                    List.of(option.description()).stream().filter(text -> !text.strip().endsWith("."))
                            .forEach(text -> cut.add(name + " " + option.longestName() + ": " + text));
                }
            }
        }

        assertThat(cut).as("help texts that stop mid-sentence (each line of a description is shown on its own)")
                .isEmpty();
    }

    @Test
    void shouldListEachCommandWithItsWholeSummary() {
        Run help = run("--help");

        assertThat(help.exit()).isZero();
        for (CommandLine command : RollbackGuardCommand.commandLine().getSubcommands().values()) {
            CommandSpec spec = command.getCommandSpec();
            if (spec.usageMessage().hidden() || command.getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String summary = spec.usageMessage().header().length > 0 ? spec.usageMessage().header()[0]
                    : spec.usageMessage().description()[0];
            // the list wraps the summary; joined again it is the whole sentence
            assertThat(help.out().replaceAll("\\s+", " ")).as(spec.name()).contains(spec.name() + " " + summary);
        }
    }

    @Test
    void shouldShowOneExampleThatParsesInEveryCommandsHelp() {
        for (CommandLine command : visibleCommands()) {
            CommandSpec spec = command.getCommandSpec();
            String[] path = spec.qualifiedName(" ").split(" ");
            String[] helpArgs = new String[path.length];
            System.arraycopy(path, 1, helpArgs, 0, path.length - 1);
            helpArgs[path.length - 1] = "--help";

            Run help = run(helpArgs);

            assertThat(help.exit()).as(spec.qualifiedName()).isZero();
            // a long example goes on over lines ending in a backslash, as in a shell; a line picocli wrapped would not
            String example = help.out().substring(help.out().indexOf("Example:") + "Example:".length()).strip()
                    .replaceAll(" \\\\\n +", " ");
            assertThat(help.out()).as(spec.qualifiedName()).contains("Example:");
            assertThat(example.lines()).as(spec.qualifiedName()).hasSize(1);
            String prefix = spec.qualifiedName(" ").equals("rollback-guard") ? "rollback-guard " : spec.qualifiedName(" ") + " ";
            assertThat(example).as(spec.qualifiedName()).startsWith(prefix);
            List<String> words = words(example);
            assertThatCode(() -> RollbackGuardCommand.commandLine().parseArgs(
                    words.subList(1, words.size()).toArray(String[]::new)))
                    .as("the example of %s parses: %s", spec.qualifiedName(), example).doesNotThrowAnyException();
        }
    }

    /** Splits a command line as sh would, for the double quotes the examples use. */
    private static List<String> words(final String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            }
            else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void shouldReportAMistypedOptionAsUnknownWithTheSuggestion() {
        Run typo = run("deploy", "--polcy", "p.yaml", "--artifact", "a.jar", "--", "./deploy.sh");
        Run typoEquals = run("deploy", "--polcy=p.yaml", "--artifact", "a.jar", "--", "./deploy.sh");
        Run command = run("deplyo", "--policy", "p.yaml");

        assertThat(typo.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("Unknown option: '--polcy'").contains("Possible solutions: --policy")
                .doesNotContain("Missing required option").contains("Try 'rollback-guard deploy --help'");
        assertThat(typoEquals.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(typoEquals.err()).contains("Unknown option: '--polcy=p.yaml'").contains("--policy")
                .doesNotContain("Missing required option");
        assertThat(command.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(command.err()).contains("'deplyo'").contains("deploy");
    }

    @Test
    void shouldStillNameAMissingOptionWhenNothingIsMistyped() {
        Run missing = run("deploy", "--artifact", "a.jar", "--", "./deploy.sh");

        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required option: '--policy=FILE'")
                .contains("Try 'rollback-guard deploy --help'");
    }

    @Test
    void shouldPrintUsageAndExit2WithoutArguments() {
        Run none = run();
        Run lease = run("lease");

        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).startsWith("Usage: rollback-guard").contains("deploy").contains("Example:");
        assertThat(lease.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(lease.err()).startsWith("Usage: rollback-guard lease");
    }

    @Test
    void shouldOfferHomeOnEveryCommand() {
        List<String> without = new ArrayList<>();
        for (CommandLine command : visibleCommands()) {
            CommandSpec spec = command.getCommandSpec();
            boolean grouping = command.getCommand() == null || spec.name().equals("rollback-guard")
                    || spec.name().equals("lease");
            if (!grouping && spec.findOption("--home") == null) {
                without.add(spec.qualifiedName());
            }
        }

        assertThat(without).isEmpty();
    }

    @Test
    void shouldReadEverythingFromHome() throws Exception {
        EnvironmentName prod = EnvironmentName.of("prod");
        Ledger ledger = Ledger.open(root.resolve("ledger"));
        RollbackPoint point = ledger.record(RollbackPoint.builder(prod, PointSource.cli("run-1")), "alice", "v1");
        // a deploy keeps its output beside its artifact, in the home's artifact store
        Path kept = new io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore(root.resolve("artifacts/prod"))
                .pointFiles(point.id()).orElseThrow();
        Files.createDirectories(kept);
        Files.writeString(kept.resolve(CommandDeployer.OUTPUT), "deployed v1\n");

        Run status = run("status", "--home", root.toString(), "--env", "prod");
        Run evidence = run("points", "--home", root.toString(), "--env", "prod", "--point", "1",
                "--evidence", root.resolve("exported").toString());

        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("prod: circuit CLOSED");
        assertThat(evidence.exit()).as(evidence.err()).isZero();
        assertThat(root.resolve("exported").resolve(CommandDeployer.OUTPUT)).hasContent("deployed v1");
    }

    @Test
    void shouldRefuseTheFormerLedgerOptionWithTheOneToUse() {
        Run ledger = run("status", "--ledger", root.resolve("ledger").toString());

        assertThat(ledger.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(ledger.err()).contains("--ledger is no longer supported")
                .contains("use --home DIR instead (the ledger is DIR/ledger, so --home " + root + " for this one)")
                .doesNotContain("Exception");
        assertThat(root.resolve("ledger")).doesNotExist();
    }

    @Test
    void shouldRefuseAHomeThatIsAFile() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-dir"), "x");

        Run status = run("status", "--home", file.toString());

        assertThat(status.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(status.err()).contains("--home: '%s' is a file, not a directory".formatted(file));
    }

    @Test
    void shouldTakeTheDefaultHomeFromTheEnvironment() {
        assertThat(LedgerOptions.defaultHome(Map.of("ROLLBACK_GUARD_HOME", "/srv/rg", "HOME", "/home/alice"), "/root"))
                .isEqualTo(Path.of("/srv/rg"));
        assertThat(LedgerOptions.defaultHome(Map.of("HOME", "/home/alice"), "/root"))
                .isEqualTo(Path.of("/home/alice/.rollback-guard"));
        assertThat(LedgerOptions.defaultHome(Map.of("ROLLBACK_GUARD_HOME", " ", "HOME", "/home/alice"), "/root"))
                .isEqualTo(Path.of("/home/alice/.rollback-guard"));
        assertThat(LedgerOptions.defaultHome(Map.of(), "/root")).isEqualTo(Path.of("/root/.rollback-guard"));
    }
}
