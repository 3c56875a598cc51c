package io.jenkins.plugins.rollbackguard.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

class LocalCommandRunnerLinesTest {
    private static final Secret TOKEN = Secret.of("s3cr3t-token-42");

    @Test
    void shouldHandOverEachLineOfBothStreamsMaskedAsItIsPrinted() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ResolvedSecrets secrets = ResolvedSecrets.of(name -> java.util.Optional.of(TOKEN));
        secrets.find("TOKEN");
        CommandRunner runner = secrets.runner(new LocalCommandRunner());

        CommandResult result = runner.run(CommandRequest.of(Duration.ofSeconds(20), "sh", "-c",
                "echo one; echo two >&2; printf 'token=s3cr3t-token-42\\r\\n'; printf 'no newline'"),
                (stderr, line) -> seen.add((stderr ? "err:" : "out:") + line));

        assertThat(result.succeeded()).isTrue();
        assertThat(seen).containsExactlyInAnyOrder("out:one", "err:two", "out:token=****", "out:no newline");
        assertThat(result.stdout()).contains("one").doesNotContain("s3cr3t");
    }

    @Test
    void shouldSplitALineWithoutEndIntoBoundedPieces() {
        List<String> seen = new CopyOnWriteArrayList<>();

        new LocalCommandRunner().run(CommandRequest.of(Duration.ofSeconds(20), "sh", "-c",
                "head -c 20000 /dev/zero | tr '\\0' x"), (stderr, line) -> seen.add(line));

        assertThat(seen).hasSize(3).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(OutputLines.MAX_LINE));
        assertThat(String.join("", seen)).hasSize(20000);
    }

    @Test
    void shouldReplayTheCapturedLinesForARunnerThatCannotStream() {
        List<String> seen = new CopyOnWriteArrayList<>();
        CommandRunner captured = request -> new CommandResult(1, "a\nb\n", "failed\n", Duration.ZERO, false);

        CommandResult result = captured.run(CommandRequest.of(Duration.ofSeconds(1), "x"),
                (stderr, line) -> seen.add((stderr ? "err:" : "out:") + line));

        assertThat(seen).containsExactly("out:a", "out:b", "err:failed");
        assertThat(result.exitCode()).isEqualTo(1);
    }
}
