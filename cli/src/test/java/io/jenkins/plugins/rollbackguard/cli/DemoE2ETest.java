package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo through the distribution, as the README runs it: it ends by saying that the environment is frozen and
 * with the reset command, and that command, pasted as printed, unfreezes it.
 */
class DemoE2ETest {
    @TempDir
    private Path work;

    @Test
    void shouldEndByNamingTheFrozenEnvironmentAndTheResetThatWorksAsPrinted() throws Exception {
        CliProcess cli = new CliProcess(work.resolve("user-home"));

        CliProcess.Result demo = CliProcess.finish(cli.start("demo", "--dir", work.resolve("demo").toString()),
                Duration.ofMinutes(4));

        assertThat(demo.exit()).as(demo.output()).isZero();
        List<String> lines = demo.output().strip().lines().toList();
        List<String> last = lines.subList(lines.size() - 2, lines.size());
        assertThat(last.get(0)).startsWith("demo-shop is frozen: its circuit is OPEN since ")
                .endsWith("and every deploy to it is refused until someone resets it:");
        String reset = last.get(1).strip();
        assertThat(reset).isEqualTo("rollback-guard reset --home " + work.resolve("demo/home")
                + " --env demo-shop --reason \"v2 rolled back, fixed in v3\"");

        // the same --dir again, still frozen: refused at once, with the same way out
        CliProcess.Result again = CliProcess.finish(cli.start("demo", "--dir", work.resolve("demo").toString()),
                Duration.ofMinutes(1));
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.output()).contains("is still frozen by a previous demo")
                .contains("rollback-guard reset --home " + work.resolve("demo/home") + " --env demo-shop")
                .contains("or give the demo a new --dir").doesNotContain("== 2.");

        List<String> words = words(reset);
        CliProcess.Result pasted = cli.run(words.subList(1, words.size()).toArray(String[]::new));
        CliProcess.Result status = cli.run("status", "--home", work.resolve("demo/home").toString(), "--env", "demo-shop");

        assertThat(pasted.exit()).as(pasted.output()).isZero();
        assertThat(pasted.output()).contains("demo-shop: circuit CLOSED").contains("v2 rolled back, fixed in v3");
        assertThat(status.output()).contains("demo-shop: circuit CLOSED");
        assertThat(work.resolve("user-home/ledger")).as("the demo keeps its state apart from the user's").doesNotExist();
    }

    /** Splits a printed command line as sh would, for the double quotes it uses. */
    private static List<String> words(final String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted) {
                words.add(word.toString());
                word.setLength(0);
            }
            else {
                word.append(c);
            }
        }
        words.add(word.toString());
        return words;
    }
}
