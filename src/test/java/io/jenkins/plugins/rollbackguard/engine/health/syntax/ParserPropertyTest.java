package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Property-style tests: random and mutated inputs either parse or raise {@link SyntaxException} with a
 * position inside the text, never any other exception. The seed is printed on failure.
 */
class ParserPropertyTest {
    private static final int RUNS = 10_000;
    private static final List<String> THRESHOLDS = List.of("> 5%", "<= 800", "== 200", "between 200 and 299",
            "drop > 20%", "rise > 50%", "drop > 5pp", "(> 1 or < -2) and != 0", "rise >= 300 or > 2000");
    private static final String THRESHOLD_ALPHABET = "<>=!()-.%0123456789 betwnadroisepBTWN\t";
    private static final List<String> DURATIONS = List.of("30s", "5m", "1h30m", "250ms", "2d", "1m30s250ms");
    private static final String DURATION_ALPHABET = "0123456789dhmsDHMS .-";

    @Test
    void shouldParseOrRejectRandomThresholds() {
        check(THRESHOLDS, THRESHOLD_ALPHABET, text -> ThresholdParser.parse("failIf", text));
    }

    @Test
    void shouldParseOrRejectRandomDurations() {
        check(DURATIONS, DURATION_ALPHABET, text -> Durations.parse("interval", text));
    }

    private static void check(final List<String> seeds, final String alphabet, final Consumer<String> parser) {
        long seed = Long.getLong("rollbackguard.seed", System.nanoTime()); // -Drollbackguard.seed=N replays a failure
        Random random = new Random(seed);
        int parsed = 0;
        for (int i = 0; i < RUNS; i++) {
            String text = i % 2 == 0 ? randomText(random, alphabet) : mutate(random, seeds, alphabet);
            try {
                parser.accept(text);
                parsed++;
            }
            catch (SyntaxException e) {
                assertThat(e.getPosition()).as("seed %d, input '%s'", seed, text).isBetween(1, text.length() + 1);
            }
            catch (RuntimeException | StackOverflowError e) {
                fail("seed %d, input '%s': unexpected %s".formatted(seed, text, e), e);
            }
        }
        assertThat(parsed).as("seed %d: some inputs must parse", seed).isPositive();
    }

    private static String randomText(final Random random, final String alphabet) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(24);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String mutate(final Random random, final List<String> seeds, final String alphabet) {
        StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
        int edits = random.nextInt(4);
        for (int i = 0; i < edits && text.length() > 0; i++) {
            int at = random.nextInt(text.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, c);
                default -> text.setCharAt(at, c);
            }
        }
        return text.toString();
    }
}
