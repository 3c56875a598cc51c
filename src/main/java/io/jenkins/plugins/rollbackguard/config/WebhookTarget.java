package io.jenkins.plugins.rollbackguard.config;

import java.util.List;
import java.util.Set;

import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * A webhook that receives a JSON notification for ledger events: its URL, an optional secret-text credential
 * sent as a bearer token, and the event types it wants. Part of {@link RollbackGuardConfiguration}.
 */
public class WebhookTarget implements Describable<WebhookTarget> {
    private final String url;
    private String credentialsId = "";
    private String events = "";

    /**
     * Creates a webhook.
     *
     * @param url
     *         an absolute {@code http} or {@code https} URL
     * @throws InvalidSettingException
     *         if the URL is not one
     */
    @DataBoundConstructor
    public WebhookTarget(final String url) {
        Settings.require("url", Settings.checkWebhookUrl("url", url));
        this.url = url.trim();
    }

    /** @return the URL notifications are posted to */
    public String getUrl() {
        return url;
    }

    /** @return the id of the secret-text credential sent as a bearer token, or an empty string for none */
    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * Sets the secret-text credential sent as a bearer token.
     *
     * @param credentialsId
     *         the credential's id, or empty for none
     */
    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.trim();
    }

    /** @return the ledger event types this webhook wants, comma-separated; empty for all */
    public String getEvents() {
        return events;
    }

    /**
     * Sets the ledger event types this webhook wants.
     *
     * @param events
     *         comma-separated names of {@link LedgerEvent.Type}, e.g. {@code CIRCUIT_OPENED, STATUS_CHANGED};
     *         empty for all
     * @throws InvalidSettingException
     *         if a name is not an event type
     */
    @DataBoundSetter
    public void setEvents(final String events) {
        Settings.require("events", Settings.checkEventTypes("events", events));
        this.events = String.join(", ", Settings.items(events));
    }

    /** @return the event types this webhook wants; all of them if none were named */
    public Set<LedgerEvent.Type> getEventTypes() {
        return Settings.parseEventTypes(events);
    }

    /** Describes webhooks on the configuration page: display name, form checks and the credentials list. */
    @Extension
    @Symbol("webhook")
    public static class DescriptorImpl extends Descriptor<WebhookTarget> {
        private final JenkinsFacade jenkins;

        /** Creates the descriptor; Jenkins calls this once. */
        public DescriptorImpl() {
            this(new JenkinsFacade());
        }

        /**
         * Creates the descriptor with a facade; for tests.
         *
         * @param jenkins
         *         the facade that answers permission checks
         */
        DescriptorImpl(final JenkinsFacade jenkins) {
            super(WebhookTarget.class);
            this.jenkins = jenkins;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WebhookTarget_DisplayName();
        }

        /**
         * Checks the webhook URL.
         *
         * @param value
         *         the URL as entered
         * @return the result, or ok without permission to administer Jenkins
         */
        @POST
        public FormValidation doCheckUrl(@QueryParameter final String value) {
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            return GlobalChecks.toValidation(Settings.checkWebhookUrl("url", value));
        }

        /**
         * Checks the event type filter.
         *
         * @param value
         *         the comma-separated event types as entered
         * @return the result, or ok without permission to administer Jenkins
         */
        @POST
        public FormValidation doCheckEvents(@QueryParameter final String value) {
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            return GlobalChecks.toValidation(Settings.checkEventTypes("events", value));
        }

        /**
         * Lists the secret-text credentials that may authenticate to the webhook's URL. The webhook is sent by
         * the controller, so the lookup runs as the system at the root of Jenkins.
         *
         * @param url
         *         the webhook URL entered so far, used to match credential domains
         * @param credentialsId
         *         the currently selected credential
         * @return the credentials, or an empty list without permission to administer Jenkins
         */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter final String url,
                @QueryParameter final String credentialsId) {
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return new ListBoxModel();
            }
            return new StandardListBoxModel()
                    .includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, (Item) null, StringCredentials.class, domainOf(url),
                            CredentialsMatchers.always())
                    .includeCurrentValue(credentialsId == null ? "" : credentialsId);
        }

        /**
         * Checks that the selected credential exists and is a secret text that matches the URL.
         *
         * @param url
         *         the webhook URL entered so far
         * @param value
         *         the selected credential id; empty means none
         * @return the result, or ok without permission to administer Jenkins
         */
        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter final String url,
                @QueryParameter final String value) {
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            if (value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            List<StringCredentials> found = CredentialsProvider.lookupCredentialsInItem(StringCredentials.class,
                    null, ACL.SYSTEM2, domainOf(url));
            if (CredentialsMatchers.firstOrNull(found, CredentialsMatchers.withId(value.trim())) == null) {
                return FormValidation.error(Messages.WebhookTarget_CredentialsNotFound(value.trim()));
            }
            return FormValidation.ok();
        }

        private static List<DomainRequirement> domainOf(final String url) {
            return URIRequirementBuilder.fromUri(url).build();
        }
    }
}
