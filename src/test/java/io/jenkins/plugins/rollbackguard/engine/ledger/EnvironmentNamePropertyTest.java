package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Property-style tests of {@link EnvironmentName}, fed by a seeded generator: thousands of valid and
 * mutated names either give a name that stays inside the ledger root, or a clear error naming the value.
 */
class EnvironmentNamePropertyTest {
    private static final String FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String REST = FIRST + "._-";
    private static final String[] HOSTILE = {"/", "\\", "..", "\0", "\n", " ", "é", "%2e", ":", "*", "~", "\u202e"};
    private static final int CASES = 5_000;

    private static final Path ROOT = Path.of("/ledger/root");

    @Test
    void shouldAcceptEveryNameOfTheGrammarAndStayInsideTheRoot() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            String name = validName(random);
            EnvironmentName parsed = EnvironmentName.of(name);
            Path dir = ROOT.resolve(parsed.value()).normalize();
            assertThat(dir.getParent()).as("seed %d case %d: '%s'", seed, i, name).isEqualTo(ROOT);
            assertThat(parsed.value()).isEqualTo(name);
        }
    }

    @Test
    void shouldRefuseMutatedNamesWithTheValueInTheMessage() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            String name = mutate(validName(random), random);
            String context = "seed %d case %d: '%s'".formatted(seed, i, name);
            if (EnvironmentName.isValid(name)) {
                assertThat(ROOT.resolve(EnvironmentName.of(name).value()).normalize().getParent()).as(context).isEqualTo(ROOT);
            }
            else {
                assertThatThrownBy(() -> EnvironmentName.of(name)).as(context)
                        .isExactlyInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("environment: '")
                        .hasMessageContaining("is not a valid name");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "a/../b", "../etc", "prod/eu", "prod\\eu", ".hidden", "-x", "_x", "a..b",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "prod eu", "prod\n"})
    void shouldRefuseTraversalAndBadShapes(final String name) {
        assertThatThrownBy(() -> EnvironmentName.of(name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging-eu", "shop.v2", "A", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "0_9"})
    void shouldAcceptGoodNames(final String name) {
        assertThat(EnvironmentName.of(name).value()).isEqualTo(name);
    }

    private static String validName(final Random random) {
        StringBuilder name = new StringBuilder().append(FIRST.charAt(random.nextInt(FIRST.length())));
        int length = random.nextInt(64);
        for (int i = 0; i < length; i++) {
            char c = REST.charAt(random.nextInt(REST.length()));
            if (c == '.' && name.charAt(name.length() - 1) == '.') {
                c = 'x';
            }
            name.append(c);
        }
        return name.toString();
    }

    private static String mutate(final String name, final Random random) {
        StringBuilder mutated = new StringBuilder(name);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(mutated.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> mutated.insert(at, HOSTILE[random.nextInt(HOSTILE.length)]);
                case 1 -> mutated.insert(0, HOSTILE[random.nextInt(HOSTILE.length)]);
                case 2 -> mutated.append("x".repeat(random.nextInt(70)));
                default -> mutated.insert(at, (char) random.nextInt(0x3000));
            }
        }
        return mutated.toString();
    }
}
