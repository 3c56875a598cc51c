package io.jenkins.plugins.rollbackguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.Permission;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.model.Mapping;
import jenkins.model.Jenkins;

/**
 * Tests the class {@link RollbackGuardConfiguration} in Jenkins: the configuration page and Configuration as Code
 * keep every value, and form endpoints reveal nothing to users who may not administer Jenkins.
 */
class RollbackGuardConfigurationITest {
    private static final String TOKEN = "webhook-token";
    private static final String HOOK_URL = "https://hooks.example.com/rollback";

    @Test
    @WithJenkins
    void shouldKeepValuesThroughTheConfigurationPage(final JenkinsRule j) throws Exception {
        addToken();
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
        configure(config);
        WebhookTarget hook = createHook();
        config.setWebhooks(List.of(hook));

        j.configRoundtrip();

        RollbackGuardConfiguration after = RollbackGuardConfiguration.get();
        assertConfigured(after);
        assertThat(after.getWebhooks()).hasSize(1);
        j.assertEqualDataBoundBeans(hook, after.getWebhooks().get(0));
    }

    @Test
    @WithJenkins
    void shouldLoadSavedValues(final JenkinsRule j) {
        configure(RollbackGuardConfiguration.get());

        assertConfigured(new RollbackGuardConfiguration());
    }

    @Test
    @WithJenkins
    void shouldStartWithDefaults(final JenkinsRule j) {
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();

        assertThat(config.getInterval()).isEqualTo("10s");
        assertThat(config.getWatch()).isEqualTo("5m");
        assertThat(config.getFailureLimit()).isZero();
        assertThat(config.getConsecutiveErrorLimit()).isEqualTo(4);
        assertThat(config.getCooldown()).isEqualTo("15m");
        assertThat(config.getKeepGood()).isEqualTo(5);
        assertThat(config.getEffectiveBackupRoot())
                .isEqualTo(j.jenkins.getRootDir().toPath().resolve("rollback-guard/backups"));
        assertThat(config.getWebhooks()).isEmpty();
    }

    @Test
    @WithJenkinsConfiguredWithCode
    @ConfiguredWithCode("configuration-as-code.yaml")
    void shouldReadAndExportConfigurationAsCode(final JenkinsConfiguredWithCodeRule r) throws Exception {
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
        assertConfigured(config);
        assertThat(config.getWebhooks()).singleElement().satisfies(hook -> {
            assertThat(hook.getUrl()).isEqualTo(HOOK_URL);
            assertThat(hook.getCredentialsId()).isEqualTo(TOKEN);
            assertThat(hook.getEvents()).isEqualTo("CIRCUIT_OPENED, STATUS_CHANGED");
        });

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode exported = Util.getUnclassifiedRoot(context).get("rollbackGuard");

        Mapping mapping = exported.asMapping();
        assertThat(mapping.getScalarValue("interval")).isEqualTo("30s");
        assertThat(mapping.getScalarValue("keepGood")).isEqualTo("7");
        assertThat(mapping.getScalarValue("probeHostAllowlist")).isEqualTo("*.staging.example.com\n10.0.0.5:9090");
        assertThat(mapping.get("webhooks").asSequence()).hasSize(1);
        assertThat(mapping.get("webhooks").asSequence().get(0).asMapping().getScalarValue("url")).isEqualTo(HOOK_URL);
    }

    @Test
    @WithJenkins
    void shouldRevealNothingToReaders(final JenkinsRule j) {
        addToken();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        RollbackGuardConfiguration config = RollbackGuardConfiguration.get();
        WebhookTarget.DescriptorImpl hooks = j.jenkins.getDescriptorByType(WebhookTarget.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThat(hooks.doFillCredentialsIdItems(HOOK_URL, "")).isEmpty();
            assertThat(hooks.doCheckCredentialsId(HOOK_URL, "missing").kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(hooks.doCheckUrl("ftp://nowhere").kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(config.doCheckInterval("soon").kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(config.doCheckProbeHostAllowlist("not a host").kind).isEqualTo(FormValidation.Kind.OK);
        }
        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            ListBoxModel items = hooks.doFillCredentialsIdItems(HOOK_URL, "");
            assertThat(items).extracting(option -> option.value).contains("", TOKEN);
            assertThat(hooks.doCheckCredentialsId(HOOK_URL, "missing").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(hooks.doCheckCredentialsId(HOOK_URL, TOKEN).kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(hooks.doCheckUrl("ftp://nowhere").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(config.doCheckInterval("soon").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(config.doCheckProbeHostAllowlist("not a host").kind).isEqualTo(FormValidation.Kind.ERROR);
        }
    }

    @Test
    @WithJenkins
    void shouldImplyRollbackByJobConfigure(final JenkinsRule j) throws Exception {
        Permission rollback = RollbackPermissions.ROLLBACK; // registered before the strategy computes implications
        FreeStyleProject job = j.createFreeStyleProject("app");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader", "developer")
                .grant(Item.CONFIGURE).onItems(job).to("developer"));

        assertThat(job.getACL().hasPermission2(User.getById("developer", true).impersonate2(),
                rollback)).isTrue();
        assertThat(job.getACL().hasPermission2(User.getById("reader", true).impersonate2(),
                rollback)).isFalse();
    }

    private static void configure(final RollbackGuardConfiguration config) {
        config.setInterval("30s");
        config.setWatch("10m");
        config.setFailureLimit(2);
        config.setConsecutiveErrorLimit(3);
        config.setCooldown("1h");
        config.setKeepGood(7);
        config.setBackupRoot("/var/backups/rollback-guard");
        config.setProbeHostAllowlist("*.staging.example.com\n\n  10.0.0.5:9090  \n");
    }

    private static void assertConfigured(final RollbackGuardConfiguration config) {
        assertThat(config.getInterval()).isEqualTo("30s");
        assertThat(config.getWatch()).isEqualTo("10m");
        assertThat(config.getFailureLimit()).isEqualTo(2);
        assertThat(config.getConsecutiveErrorLimit()).isEqualTo(3);
        assertThat(config.getCooldown()).isEqualTo("1h");
        assertThat(config.getKeepGood()).isEqualTo(7);
        assertThat(config.getBackupRoot()).isEqualTo("/var/backups/rollback-guard");
        assertThat(config.getProbeHostPatterns()).containsExactly("*.staging.example.com", "10.0.0.5:9090");
    }

    private static WebhookTarget createHook() {
        WebhookTarget hook = new WebhookTarget(HOOK_URL);
        hook.setCredentialsId(TOKEN);
        hook.setEvents("circuit_opened, STATUS_CHANGED");
        return hook;
    }

    private static void addToken() {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, TOKEN, "webhook token", Secret.fromString("s3cret")));
    }
}
