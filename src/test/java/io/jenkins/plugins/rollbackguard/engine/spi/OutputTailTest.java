package io.jenkins.plugins.rollbackguard.engine.spi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

class OutputTailTest {
    @TempDir
    private Path dir;

    @Test
    void shouldKeepTheNewestLinesWithinItsCapacity() {
        OutputTail tail = new OutputTail(OutputTail.DEFAULT_BYTES);
        for (int i = 0; i < 100_000; i++) {
            tail.add("line " + i + " of the deploy");
        }

        String text = tail.text();
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024)
                .isGreaterThan(64 * 1024 - 40);
        assertThat(tail.bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(text).endsWith("line 99999 of the deploy\n").doesNotContain("line 0 of");
        assertThat(text.split("\n")[0]).matches("line \\d+ of the deploy"); // whole lines only
        assertThat(tail.dropped()).isEqualTo(100_000 - text.split("\n").length);
    }

    /** Random lines, multi-byte characters and lines longer than the tail: never more than its capacity. */
    @Test
    void shouldStayWithinItsCapacityForAnyLines() {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            int capacity = 16 + random.nextInt(4096);
            OutputTail tail = new OutputTail(capacity);
            String last = "";
            for (int i = 0; i < 300; i++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(random.nextBoolean() ? 40 : 2 * capacity);
                for (int c = 0; c < length; c++) {
                    line.append(switch (random.nextInt(4)) {
                        case 0 -> 'é';
                        case 1 -> "\uD83D\uDE00"; // outside the BMP: 4 bytes
                        default -> (char) ('a' + random.nextInt(26));
                    });
                }
                last = line.toString();
                tail.add(last);
                assertThat(tail.text().getBytes(StandardCharsets.UTF_8).length).as("seed %d", seed)
                        .isLessThanOrEqualTo(capacity).isEqualTo((int) tail.bytes());
            }
            String text = tail.text();
            String kept = text.substring(text.lastIndexOf('\n', text.length() - 2) + 1, text.length() - 1);
            assertThat(last).as("seed %d", seed).endsWith(kept); // the newest line, or the end of it
            assertThat(kept).as("seed %d", seed).isNotEmpty();
        }
    }

    @Test
    void shouldReadOnlyTheEndOfALargeFileFromALineStart() throws Exception {
        Path log = dir.resolve("shop.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("request ").append(i).append(" served\n");
        }
        Files.writeString(log, text);

        String tail = OutputTail.tailOf(log, 4096);

        assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(tail).startsWith("request ").endsWith("request 19999 served\n");
        assertThat(OutputTail.tailOf(dir.resolve("shop.log"), 1 << 20)).isEqualTo(text.toString());
    }

    @Test
    void shouldWriteTheTailWhole() throws Exception {
        OutputTail tail = new OutputTail(1024);
        tail.add("[deploy] copying shop-2.4.war");
        tail.add("[deploy:err] warning: slow disk");

        tail.writeTo(dir.resolve("points/7/deploy-output.log"));

        assertThat(dir.resolve("points/7/deploy-output.log")).content()
                .isEqualTo("[deploy] copying shop-2.4.war\n[deploy:err] warning: slow disk\n");
        try (var files = Files.list(dir.resolve("points/7"))) {
            assertThat(files).hasSize(1); // no temporary file left
        }
    }
}
