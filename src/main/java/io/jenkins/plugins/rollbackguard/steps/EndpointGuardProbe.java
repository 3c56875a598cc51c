package io.jenkins.plugins.rollbackguard.steps;

import org.kohsuke.stapler.DataBoundSetter;

import io.jenkins.plugins.rollbackguard.engine.health.Auth;

/**
 * What the probes that call a URL share (HTTP and Prometheus): the URL, bound by each subclass's
 * {@code @DataBoundConstructor}, and an optional Secret text credential sent as a bearer token.
 */
public abstract class EndpointGuardProbe extends GuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private final String url;
    private String credentialsId = "";

    /**
     * Creates the probe.
     *
     * @param name
     *         the probe name, unique in the policy
     * @param url
     *         the http or https URL
     */
    protected EndpointGuardProbe(final String name, final String url) {
        super(name);
        this.url = url == null ? "" : url.strip();
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * Sets a Secret text credential sent as bearer token.
     *
     * @param credentialsId
     *         the credentials id, or blank for none
     */
    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.strip();
    }

    /** @return the bearer authentication for the engine, or null without a credential */
    protected Auth bearerOrNull() {
        return credentialsId.isEmpty() ? null : Auth.bearer(credentialsId);
    }
}
