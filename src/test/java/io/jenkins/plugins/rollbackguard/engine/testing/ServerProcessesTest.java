package io.jenkins.plugins.rollbackguard.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Tests the class {@link ServerProcesses}: missing server binaries fail the tests unless skipping is allowed. */
class ServerProcessesTest {
    @Test
    void shouldFailNotSkipWhenABinaryIsMissing() {
        assumeThat(Boolean.getBoolean(ServerProcesses.ALLOW_MISSING)).as("only without the skip property").isFalse();

        assertThatThrownBy(() -> ServerProcesses.requireBinary(Path.of("/nonexistent/initdb"), "postgresql-15"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/nonexistent/initdb")
                .hasMessageContaining("postgresql-15").hasMessageContaining(ServerProcesses.ALLOW_MISSING);
    }

    @Test
    void shouldFindAFreeLoopbackPort() {
        assertThat(ServerProcesses.freePort()).isBetween(1, 65_535);
    }
}
