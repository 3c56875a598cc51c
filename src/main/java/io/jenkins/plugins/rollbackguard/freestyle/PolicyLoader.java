package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;

import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyException;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * Reads the policy file of a freestyle build from its workspace and applies the fields of the form on top:
 * the environment always, {@code onTrip} and {@code cooldown} when they are not empty; the probes take the Jenkins
 * global defaults for what they leave unset (policy value &gt; global default &gt; engine default). The engine's
 * {@link PolicyReader} checks the result, so the form, the pipeline step and the CLI share one schema.
 */
final class PolicyLoader {
    private PolicyLoader() {
    }

    /**
     * Loads the policy.
     *
     * @param workspace
     *         the build's workspace
     * @param env
     *         the build's variables, expanded in the policy path
     * @param fields
     *         the form's values
     * @param defaults
     *         the Jenkins global defaults, for what the file's probes leave unset
     * @return the policy
     * @throws AbortException
     *         if the file is missing or the policy is invalid; the message names the file and the field
     */
    static Policy load(final FilePath workspace, final EnvVars env, final GuardFields fields,
            final AnalysisDefaults defaults) throws IOException, InterruptedException {
        String path = env.expand(fields.getPolicyFile());
        FilePath file = workspace.child(path);
        if (!file.exists()) {
            throw new AbortException(Messages.PolicyLoader_Missing(path));
        }
        String text;
        try (java.io.InputStream in = file.read()) { // bounded: a huge file is refused without being read whole
            text = PolicyReader.text(path, in);
        }
        catch (PolicyException e) {
            throw new AbortException(e.getMessage());
        }
        return parse(path, text, fields, defaults);
    }

    /**
     * Parses policy text and applies the form's values.
     *
     * @param source
     *         the file name, for messages
     * @param text
     *         YAML or JSON
     * @param fields
     *         the form's values
     * @param defaults
     *         the Jenkins global defaults, for what the file's probes leave unset
     * @return the policy
     * @throws AbortException
     *         if the policy is invalid
     */
    static Policy parse(final String source, final String text, final GuardFields fields,
            final AnalysisDefaults defaults) throws AbortException {
        PolicyReader reader = new PolicyReader(defaults);
        try {
            JsonNode tree = reader.mapper().readTree(text);
            ObjectNode policy = tree instanceof ObjectNode object ? object : reader.mapper().createObjectNode();
            policy.put("environment", fields.getEnvironment());
            if (!fields.getOnTrip().isEmpty()) {
                policy.put("onTrip", fields.getOnTrip().toLowerCase(Locale.ROOT));
            }
            if (!fields.getCooldown().isEmpty()) {
                policy.put("cooldown", fields.getCooldown());
            }
            return reader.parse(source, reader.mapper().writeValueAsString(policy));
        }
        catch (JsonProcessingException e) {
            try { // the reader says what is wrong with the syntax in its own words (the quoting hint, the line)
                reader.parse(source, text);
            }
            catch (PolicyException | IllegalArgumentException readers) {
                throw new AbortException(readers.getMessage());
            }
            throw new AbortException(Messages.PolicyLoader_Invalid(source, e.getOriginalMessage()));
        }
        catch (PolicyException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
