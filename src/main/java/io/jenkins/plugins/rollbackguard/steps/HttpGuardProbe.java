package io.jenkins.plugins.rollbackguard.steps;

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

    @Override
    public ProbeSpec toSpec() {
        return new HttpProbeSpec(getName(), getUrl(), null, null, bearerOrNull(), blankToNull(expectStatus), null,
                blankToNull(jsonPointer), null, null, null, null, failIfOrNull(), successIfOrNull(),
                analysis());
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
