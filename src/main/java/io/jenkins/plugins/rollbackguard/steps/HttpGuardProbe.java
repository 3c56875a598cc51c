package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/** An HTTP health probe: {@code http(name: 'checkout', url: '...', failIf: 'value drop > 20%')}. */
public class HttpGuardProbe extends GuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private final String name;
    private final String url;
    private String expectStatus = "";
    private String jsonPointer = "";
    private String failIf = "";
    private String successIf = "";
    private String interval = "";
    private int count;
    private String credentialsId = "";

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
        super();
        this.name = name == null ? "" : name.strip();
        this.url = url == null ? "" : url.strip();
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
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

    public String getFailIf() {
        return failIf;
    }

    @DataBoundSetter
    public void setFailIf(final String failIf) {
        this.failIf = failIf == null ? "" : failIf.strip();
    }

    public String getSuccessIf() {
        return successIf;
    }

    @DataBoundSetter
    public void setSuccessIf(final String successIf) {
        this.successIf = successIf == null ? "" : successIf.strip();
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(final String interval) {
        this.interval = interval == null ? "" : interval.strip();
    }

    public int getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(final int count) {
        this.count = Math.max(0, count);
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

    @Override
    public ProbeSpec toSpec() {
        Auth auth = blankToNull(credentialsId) == null ? null : Auth.bearer(credentialsId);
        return new HttpProbeSpec(name, url, null, null, auth, blankToNull(expectStatus), null,
                blankToNull(jsonPointer), null, null, null, null, blankToNull(failIf), blankToNull(successIf),
                analysis(interval, count));
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
