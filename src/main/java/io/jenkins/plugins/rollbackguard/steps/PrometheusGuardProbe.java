package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/** A Prometheus query probe: {@code prometheus(name: 'errors', url: '...', query: '...', failIf: 'value > 0.05')}. */
public class PrometheusGuardProbe extends EndpointGuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private final String query;
    private String aggregation = "";

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
        super(name, url);
        this.query = query == null ? "" : query.strip();
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

    @Override
    ProbeSpec toSpec(final ProbeDefaults defaults) {
        return new PrometheusProbeSpec(getName(), getUrl(), blankToNull(query), blankToNull(aggregation), bearerOrNull(), getTimeout(),
                failIfOrNull(), successIfOrNull(), analysis(defaults));
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
