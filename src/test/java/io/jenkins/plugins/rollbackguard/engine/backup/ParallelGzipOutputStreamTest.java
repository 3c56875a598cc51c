package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests the class {@link ParallelGzipOutputStream}: any gzip reader must get the input back exactly. */
class ParallelGzipOutputStreamTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, ParallelGzipOutputStream.BLOCK_SIZE - 1, ParallelGzipOutputStream.BLOCK_SIZE,
            ParallelGzipOutputStream.BLOCK_SIZE * 7 + 3})
    void shouldRoundTripThroughTheJdkGzipReader(final int size) throws IOException {
        long seed = new Random().nextLong();
        byte[] input = new byte[size];
        new Random(seed).nextBytes(input);
        for (int i = 0; i < size; i += 3) {
            input[i] = 'a'; // partly compressible
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();

        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(compressed, 6, 2)) {
            for (int offset = 0; offset < size; offset += 100_003) {
                gzip.write(input, offset, Math.min(100_003, size - offset));
            }
        }

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
            assertThat(in.readAllBytes()).as("seed %d", seed).isEqualTo(input);
        }
    }
}
