package io.jenkins.plugins.rollbackguard.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/** An HTTP health probe: {@code http(name: 'checkout', url: '...', failIf: 'value drop > 20%')}. */
public class HttpGuardProbe extends EndpointGuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private String expectStatus = "";
    private String jsonPointer = "";
    @CheckForNull
    private String method;
    @CheckForNull
    private String bodyMatch;
    @CheckForNull
    private String connectTimeout;
    @CheckForNull
    private String redirects;
    @CheckForNull
    private Integer maxBodyBytes;

    /**
     * Creates the probe.
     *
     * @param name
     *         the probe name, unique in the policy
     * @param url
     *         the http or https URL to request
     */
    @DataBoundConstructor
    public HttpGuardProbe(final String name, final String url) {
        super(name, url);
    }

    public String getExpectStatus() {
        return expectStatus;
    }

    @DataBoundSetter
    public void setExpectStatus(final String expectStatus) {
        this.expectStatus = expectStatus == null ? "" : expectStatus.strip();
    }

    public String getJsonPointer() {
        return jsonPointer;
    }

    @DataBoundSetter
    public void setJsonPointer(final String jsonPointer) {
        this.jsonPointer = jsonPointer == null ? "" : jsonPointer.strip();
    }

    @CheckForNull
    public String getMethod() {
        return method;
    }

    @DataBoundSetter
    public void setMethod(@CheckForNull final String method) {
        this.method = blankToNull(method);
    }

    @CheckForNull
    public String getBodyMatch() {
        return bodyMatch;
    }

    @DataBoundSetter
    public void setBodyMatch(@CheckForNull final String bodyMatch) {
        this.bodyMatch = blankToNull(bodyMatch);
    }

    @CheckForNull
    public String getConnectTimeout() {
        return connectTimeout;
    }

    @DataBoundSetter
    public void setConnectTimeout(@CheckForNull final String connectTimeout) {
        this.connectTimeout = blankToNull(connectTimeout);
    }

    @CheckForNull
    public String getRedirects() {
        return redirects;
    }

    @DataBoundSetter
    public void setRedirects(@CheckForNull final String redirects) {
        this.redirects = blankToNull(redirects);
    }

    @CheckForNull
    public Integer getMaxBodyBytes() {
        return maxBodyBytes;
    }

    @DataBoundSetter
    public void setMaxBodyBytes(@CheckForNull final Integer maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    ProbeSpec toSpec(final ProbeDefaults defaults) {
        return new HttpProbeSpec(getName(), getUrl(), method, null, bearerOrNull(), blankToNull(expectStatus),
                bodyMatch, blankToNull(jsonPointer), connectTimeout, getTimeout(), redirects, maxBodyBytes,
                failIfOrNull(), successIfOrNull(), analysis(defaults));
    }

    /** Registers the probe kind with the symbol {@code http}. */
    @Extension
    @Symbol("http")
    public static class DescriptorImpl extends GuardProbeDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.HttpGuardProbe_DisplayName();
        }
    }
}
