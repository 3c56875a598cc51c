package io.jenkins.plugins.rollbackguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;

import hudson.util.FormValidation;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Tests the class {@link WebhookTarget} with a stubbed {@link JenkinsFacade}.
 */
class WebhookTargetTest {
    @Test
    void shouldRejectANonHttpUrlNamingIt() {
        assertThatThrownBy(() -> new WebhookTarget("ftp://example.com/hook"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ftp://example.com/hook");
    }

    @Test
    void shouldNormaliseEventsAndCredentials() {
        WebhookTarget hook = new WebhookTarget(" https://hooks.example.com/a ");
        hook.setEvents(" circuit_opened ,note");
        hook.setCredentialsId(null);

        assertThat(hook.getUrl()).isEqualTo("https://hooks.example.com/a");
        assertThat(hook.getEvents()).isEqualTo("CIRCUIT_OPENED, NOTE");
        assertThat(hook.getEventTypes()).containsExactlyInAnyOrder(LedgerEvent.Type.CIRCUIT_OPENED,
                LedgerEvent.Type.NOTE);
        assertThat(hook.getCredentialsId()).isEmpty();
    }

    @Test
    void shouldAnswerFormChecksOnlyForAdministrators() {
        assertThat(createDescriptor(false).doCheckUrl("ftp://x").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(createDescriptor(false).doCheckEvents("NOPE").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(createDescriptor(false).doFillCredentialsIdItems("https://x", "id")).isEmpty();

        assertThat(createDescriptor(true).doCheckUrl("ftp://x").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(createDescriptor(true).doCheckEvents("NOPE").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void shouldAnswerConfigurationChecksOnlyForAdministrators() {
        JenkinsFacade reader = mock(JenkinsFacade.class);
        JenkinsFacade admin = mock(JenkinsFacade.class);
        when(admin.hasPermission(Jenkins.ADMINISTER)).thenReturn(true);

        assertThat(new RollbackGuardConfiguration(reader).doCheckWatch("soon").kind)
                .isEqualTo(FormValidation.Kind.OK);
        assertThat(new RollbackGuardConfiguration(admin).doCheckWatch("soon").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new RollbackGuardConfiguration(admin).doCheckKeepGood("0").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new RollbackGuardConfiguration(admin).doCheckFailureLimit("zero").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new RollbackGuardConfiguration(admin).doCheckBackupRoot("").kind)
                .isEqualTo(FormValidation.Kind.OK);
    }

    private static WebhookTarget.DescriptorImpl createDescriptor(final boolean isAdministrator) {
        JenkinsFacade jenkins = mock(JenkinsFacade.class);
        when(jenkins.hasPermission(Jenkins.ADMINISTER)).thenReturn(isAdministrator);
        return new WebhookTarget.DescriptorImpl(jenkins);
    }
}
