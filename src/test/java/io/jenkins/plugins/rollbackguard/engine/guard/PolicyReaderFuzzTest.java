package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The seeded policy fuzzer ({@link PolicyFuzzProcess}) in one child JVM under {@code -Xmx256m}: at least 2,000
 * mutations of the docs' policy examples and the hand-made hostile cases, each accepted or refused with a one-line
 * message without Java words. The seed is {@code -Dfuzz.seed} (default fixed, so a run repeats); the failed cases
 * and the seed are in the assertion's message. The time per case is printed, not asserted (docs/benchmarks.md).
 */
class PolicyReaderFuzzTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "SUMMARY seed=(-?\\d+) cases=(\\d+) accepted=(\\d+) refused=(\\d+) failed=(\\d+) .*");

    @Test
    void shouldAcceptOrRefuseEveryMutationWithOneCleanLine() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20_260_413L);
        int count = Integer.getInteger("fuzz.count", 2_200);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), PolicyFuzzProcess.class.getName(), Long.toString(seed),
                Integer.toString(count), projectRoot().toString()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println(text); // the benchmark figures

        assertThat(ended).as("the fuzzer ended").isTrue();
        List<String> lines = text.lines().toList();
        Matcher summary = lines.stream().map(SUMMARY::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("seed " + seed + ": the fuzzer printed no summary:\n" + text));
        assertThat(process.exitValue()).as("seed %d:%n%s", seed, text).isZero();
        assertThat(Integer.parseInt(summary.group(5))).as("failed cases, seed %d", seed).isZero();
        assertThat(Integer.parseInt(summary.group(2))).as("cases").isGreaterThanOrEqualTo(count + 30);
        assertThat(Integer.parseInt(summary.group(3))).as("some mutations still read").isPositive();
        assertThat(Integer.parseInt(summary.group(4))).as("some are refused").isPositive();
    }

    @Test
    void shouldCatchAMessageWithJavaWords() {
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: got 'null'")).contains("null");
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: a subtype of io.jenkins.plugins.ProbeSpec")).isNotNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: NoSuchFileException")).isNotNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: two\nlines")).isNotNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: threw OutOfMemoryError")).isNotNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: [B@1f2a3b")).isNotNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: known fields: consecutiveErrorLimit, onError")).isNull();
        assertThat(PolicyFuzzProcess.checkMessage("p.yaml: onTrip: 'explode' is not a valid value")).isNull();
    }

    /** @return the directory with docs/ and README.md: the build runs from the project or from cli/ */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/policy.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docs/policy.md not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
