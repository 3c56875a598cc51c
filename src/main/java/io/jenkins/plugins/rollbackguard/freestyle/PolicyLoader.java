package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyException;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.steps.GuardProbe;
import io.jenkins.plugins.rollbackguard.steps.InlinePolicy;

/**
 * Reads the policy file of a freestyle build from its workspace and applies the fields of the form on top:
 * the environment always, {@code onTrip} and {@code cooldown} when they are not empty, the inline probes when there
 * are any (they replace the file's); the file's probes take the Jenkins global defaults for what they leave unset
 * and so do the file's {@code cooldown} and {@code keepGood} (policy value &gt; global default &gt; engine default,
 * the engine's {@code PolicyReader(HostDefaults)}). Without a policy file (the field left empty, inline probes given)
 * the policy is the form's alone, read by the same rule. Inline probes and the global defaults go through
 * {@link InlinePolicy}, the rules of the Pipeline step. The engine's {@link PolicyReader} checks the result,
 * so the form, the pipeline step and the CLI share one schema.
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
     * @param probes
     *         the form's inline probes, possibly none
     * @param defaults
     *         the Jenkins global configuration, or null for the engine's defaults
     * @return the policy
     * @throws AbortException
     *         if the file is missing or the policy is invalid; the message names the file and the field
     */
    static Policy load(final FilePath workspace, final EnvVars env, final GuardFields fields,
            final List<GuardProbe> probes, @CheckForNull final RollbackGuardConfiguration defaults)
            throws IOException, InterruptedException {
        if (fields.policyFileRead().isEmpty()) {
            return withInline(formOnly(fields, defaults), probes, defaults);
        }
        String path = env.expand(fields.policyFileRead());
        FilePath file = workspace.child(path);
        if (!file.exists()) {
            throw new AbortException(probes.isEmpty() ? Messages.PolicyLoader_Missing(path)
                    : Messages.PolicyLoader_MissingWithProbes(path));
        }
        String text;
        try (java.io.InputStream in = file.read()) { // bounded: a huge file is refused without being read whole
            text = PolicyReader.text(path, in);
        }
        catch (PolicyException e) {
            throw new AbortException(e.getMessage());
        }
        return withInline(parse(path, text, fields, InlinePolicy.hostDefaults(defaults)), probes,
                defaults); // file value > global default > engine's
    }

    /**
     * The policy of a form without a policy file: its fields, and the Jenkins global defaults where it says nothing,
     * as the Pipeline step's without {@code policy}.
     */
    static Policy formOnly(final GuardFields fields, @CheckForNull final RollbackGuardConfiguration defaults)
            throws AbortException {
        return parse(Messages.PolicyLoader_FormSource(), "{}", fields, InlinePolicy.hostDefaults(defaults));
    }

    /** Lays the inline probes over the policy; none keeps its own. The engine's message names the bad field. */
    static Policy withInline(final Policy policy, final List<GuardProbe> probes,
            @CheckForNull final RollbackGuardConfiguration defaults) throws AbortException {
        if (probes.isEmpty()) {
            return policy;
        }
        try {
            return policy.withProbes(InlinePolicy.probes(probes, policy, defaults));
        }
        catch (IllegalArgumentException e) {
            throw new AbortException(Messages.PolicyLoader_InlineProbes(e.getMessage()));
        }
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
     * @param hostDefaults
     *         the Jenkins global defaults, for what the file and its probes leave unset
     * @return the policy
     * @throws AbortException
     *         if the policy is invalid
     */
    static Policy parse(final String source, final String text, final GuardFields fields,
            final HostDefaults hostDefaults) throws AbortException {
        PolicyReader reader = new PolicyReader(hostDefaults);
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
            // the reader takes a source named *.json as strict JSON, so that one is written back as JSON
            return reader.parse(source, source.toLowerCase(Locale.ROOT).endsWith(".json") ? policy.toString()
                    : reader.mapper().writeValueAsString(policy));
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
