package io.jenkins.plugins.rollbackguard.config;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the "Test probe" button of {@link RollbackGuardConfiguration}: administrators only, allowlisted hosts only,
 * HTTP and Prometheus only.
 */
@WithJenkins
class TestProbeITest {
    @Test
    void shouldSampleAnAllowlistedHostForAdministrators(final JenkinsRule j) throws Exception {
        secure(j);
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
        config.setProbeHostAllowlist(j.getURL().getHost() + ":" + j.getURL().getPort());
        String url = j.getURL() + "api/json";

        assertThat(as("admin", () -> config.doTestProbe("http", url, "")).kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(as("bob", () -> config.doTestProbe("http", url, "")).kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void shouldRefuseHostsOutsideTheAllowlistAndCommands(final JenkinsRule j) throws Exception {
        secure(j);
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
        config.setProbeHostAllowlist("prom.example.com");
        String internalUrl = j.getURL() + "api/json";

        FormValidation internal = as("admin", () -> config.doTestProbe("http", internalUrl, ""));
        FormValidation command = as("admin", () -> config.doTestProbe("command", "http://prom.example.com/", ""));

        assertThat(internal.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(internal.getMessage()).contains("is not an http or https URL whose host is on the list");
        assertThat(command.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(command.getMessage()).contains("command");
    }

    private static void secure(final JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("bob"));
    }

    private static FormValidation as(final String user, final java.util.function.Supplier<FormValidation> call) {
        try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
            return call.get();
        }
    }
}
