package io.jenkins.plugins.rollbackguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;

/**
 * Tests the class {@link Settings}.
 */
class SettingsTest {
    @Test
    void shouldAcceptEmptyOrAbsoluteBackupRoots() {
        assertThat(Settings.checkAbsolutePathOrEmpty("backupRoot", "")).isEmpty();
        assertThat(Settings.checkAbsolutePathOrEmpty("backupRoot", "relative/dir")).hasValueSatisfying(
                message -> assertThat(message).contains("backupRoot", "relative/dir"));
    }

    @Test
    void shouldNameTheFirstBadHostPattern() {
        String patterns = "*.staging.example.com\n\n10.0.0.5:9090\nbad host\nalso bad/";

        assertThat(Settings.checkHostPatterns("probeHostAllowlist", patterns)).hasValueSatisfying(
                message -> assertThat(message).contains("probeHostAllowlist", "bad host").doesNotContain("also bad"));
        assertThat(Settings.lines(patterns)).containsExactly("*.staging.example.com", "10.0.0.5:9090", "bad host",
                "also bad/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "example.com", "https://", "http:///path", "not a url"})
    void shouldRejectWebhookUrlsThatAreNotHttp(final String url) {
        assertThat(Settings.checkWebhookUrl("url", url)).isPresent();
    }

    @Test
    void shouldAcceptHttpAndHttpsWebhooks() {
        assertThat(Settings.checkWebhookUrl("url", "https://hooks.example.com/a?b=c")).isEmpty();
        assertThat(Settings.checkWebhookUrl("url", "HTTP://10.0.0.5:8080/hook")).isEmpty();
    }

    @Test
    void shouldParseEventTypesCaseInsensitivelyAndDefaultToAll() {
        assertThat(Settings.checkEventTypes("events", "circuit_opened, NOTE")).isEmpty();
        assertThat(Settings.parseEventTypes("circuit_opened, NOTE"))
                .containsExactlyInAnyOrder(LedgerEvent.Type.CIRCUIT_OPENED, LedgerEvent.Type.NOTE);
        assertThat(Settings.parseEventTypes(" ")).containsExactlyInAnyOrder(LedgerEvent.Type.values());
    }

    @Test
    void shouldNameAnUnknownEventType() {
        assertThat(Settings.checkEventTypes("events", "NOTE, DEPLOYED")).hasValueSatisfying(
                message -> assertThat(message).contains("events", "DEPLOYED", "CIRCUIT_OPENED"));
    }

    @Test
    void shouldThrowWithTheFieldName() {
        assertThatThrownBy(() -> Settings.require("interval", Optional.of("bad interval")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("bad interval")
                .extracting(e -> ((InvalidSettingException) e).getField()).isEqualTo("interval");
    }
}
