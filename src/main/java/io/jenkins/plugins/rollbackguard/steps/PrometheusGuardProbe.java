package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/** A Prometheus query probe: {@code prometheus(name: 'errors', url: '...', query: '...', failIf: 'value > 0.05')}. */
public class PrometheusGuardProbe extends GuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private final String name;
    private final String url;
    private final String query;
    private String aggregation = "";
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
     *         the Prometheus server's base URL
     * @param query
     *         the PromQL expression
     */
    @DataBoundConstructor
    public PrometheusGuardProbe(final String name, final String url, final String query) {
        super();
        this.name = name == null ? "" : name.strip();
        this.url = url == null ? "" : url.strip();
        this.query = query == null ? "" : query.strip();
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public String getQuery() {
        return query;
    }

    public String getAggregation() {
        return aggregation;
    }

    @DataBoundSetter
    public void setAggregation(final String aggregation) {
        this.aggregation = aggregation == null ? "" : aggregation.strip();
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

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.strip();
    }

    @Override
    public ProbeSpec toSpec() {
        Auth auth = blankToNull(credentialsId) == null ? null : Auth.bearer(credentialsId);
        return new PrometheusProbeSpec(name, url, query, blankToNull(aggregation), auth, null, blankToNull(failIf),
                blankToNull(successIf), analysis(interval, count));
    }

    /** Registers the probe kind with the symbol {@code prometheus}. */
    @Extension
    @Symbol("prometheus")
    public static class DescriptorImpl extends GuardProbeDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.PrometheusGuardProbe_DisplayName();
        }
    }
}
