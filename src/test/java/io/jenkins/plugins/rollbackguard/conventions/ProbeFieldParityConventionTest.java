package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;

/**
 * One set of analysis settings for every host (issue 17): every field of a policy file's probe, its {@code analysis}
 * settings included, is a parameter of the inline probe of {@code withRollbackGuard} under the same name. The engine's
 * fields are read from its records' components (and, as a second reading, from docs/policy.schema.json's probe
 * definitions); the inline ones from the describables' sources ({@code @DataBoundConstructor} parameters and
 * {@code @DataBoundSetter}s, inherited ones too), as Jenkins cannot load here. The {@code analysis} block is flat
 * inline ({@code http(..., failureLimit: 1, window: '3 of 5')}), so its components count as probe fields. The freestyle
 * form ("Record rollback point") hosts the same describables; InlineProbeHostsConventionTest checks that it does.
 */
class ProbeFieldParityConventionTest {
    /** The probe records of the engine and the describable that writes each inline, by the policy file's type. */
    private static final Map<String, Class<? extends Record>> ENGINE = Map.of(
            "http", HttpProbeSpec.class, "prometheus", PrometheusProbeSpec.class, "command", CommandProbeSpec.class);
    private static final Map<String, String> DESCRIBABLE = Map.of(
            "http", "HttpGuardProbe", "prometheus", "PrometheusGuardProbe", "command", "CommandGuardProbe");
    private static final Map<String, String> SCHEMA_DEFINITION = Map.of(
            "http", "HttpProbeSpec", "prometheus", "PrometheusProbeSpec", "command", "CommandProbeSpec");

    /** Fields of the policy file that are intentionally not inline, each with its reason. */
    private static final Map<String, String> NOT_INLINE = Map.of(
            "type", "the inline probe's symbol (http, prometheus, command) is its type",
            "auth", "inline probes name a Jenkins credential instead: credentialsId, sent as the bearer token",
            "headers", "a map of headers: the Pipeline binds no free maps into a describable; use a policy file",
            "environment", "a map of variables: the Pipeline binds no free maps into a describable; use a policy file",
            "secretEnvironment", "a map of variable to secret name: no free maps inline, as for environment; use a policy file");

    /** Inline parameters that are the Jenkins form of a policy field (not a field of their own). */
    private static final Map<String, String> INLINE_ONLY = Map.of(
            "credentialsId", "the Jenkins credential that stands for the policy file's auth.bearerSecret");

    @Test
    void shouldOfferEveryPolicyProbeFieldInline() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        for (String type : new TreeSet<>(ENGINE.keySet())) {
            Set<String> inline = inlineFields(project, DESCRIBABLE.get(type));
            Set<String> engine = engineFields(ENGINE.get(type));
            assertThat(inline).as(DESCRIBABLE.get(type) + " bound fields").contains("name", "failIf");
            assertThat(engine).as(type + " engine fields").contains("name", "failureLimit", "window");
            problems.addAll(parityProblems(DESCRIBABLE.get(type), engine, inline));
            System.out.printf("%s: %d policy fields, %d inline, %d not inline by design%n", type, engine.size(),
                    inline.size(), engine.stream().filter(NOT_INLINE::containsKey).count());
        }
        NOT_INLINE.forEach((field, reason) -> System.out.printf("not inline: %s (%s)%n", field, reason));
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReadTheSameProbeFieldsFromTheSchemaAsFromTheRecords() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ProjectFiles.read(
                ProjectFiles.locate().root().resolve("docs/policy.schema.json")));
        JsonNode definitions = schema.get("$defs");
        Set<String> analysis = names(definitions.get("AnalysisSettings").get("properties"));
        assertThat(analysis).isEqualTo(components(AnalysisSettings.class));
        for (Map.Entry<String, String> entry : SCHEMA_DEFINITION.entrySet()) {
            Set<String> fields = names(definitions.get(entry.getValue()).get("properties"));
            fields.remove("analysis");
            fields.addAll(analysis);
            assertThat(fields).as("docs/policy.schema.json " + entry.getValue())
                    .isEqualTo(engineFields(ENGINE.get(entry.getKey())));
        }
    }

    @Test
    void shouldNameTheFieldThatIsMissingInline() {
        Set<String> inline = inlineFields(ProjectFiles.locate(), "HttpGuardProbe");
        inline.remove("bodyMatch"); // as if setBodyMatch had not been written

        assertThat(parityProblems("HttpGuardProbe", engineFields(HttpProbeSpec.class), inline)).containsExactly(
                "HttpGuardProbe has no inline parameter for the policy file's probe field 'bodyMatch': add "
                        + "@DataBoundSetter setBodyMatch (same name), or list it in NOT_INLINE with the reason");
    }

    @Test
    void shouldNameAMissingAnalysisFieldOfASnippet() {
        JavaSource snippet = new JavaSource("""
                package x;
                public class CommandGuardProbe {
                    @DataBoundConstructor public CommandGuardProbe(String name, String command) { }
                    @DataBoundSetter public void setFailIf(String v) { }
                    @DataBoundSetter public void setSuccessIf(String v) { }
                    @DataBoundSetter public void setValuePattern(String v) { }
                    @DataBoundSetter public void setTimeout(String v) { }
                    @DataBoundSetter public void setFailureLimit(Integer v) { }
                    @DataBoundSetter public void setShoeSize(Integer v) { }
                }
                """);
        Set<String> inline = new LinkedHashSet<>(snippet.boundProperties("CommandGuardProbe"));
        Set<String> analysis = new TreeSet<>(components(AnalysisSettings.class));
        analysis.remove("failureLimit");
        inline.addAll(analysis);
        inline.remove("window");

        assertThat(parityProblems("CommandGuardProbe", engineFields(CommandProbeSpec.class), inline)).containsExactly(
                "CommandGuardProbe has no inline parameter for the policy file's probe field 'window': add "
                        + "@DataBoundSetter setWindow (same name), or list it in NOT_INLINE with the reason",
                "CommandGuardProbe has the inline parameter 'shoeSize', which no policy file's probe has: name it "
                        + "as the policy file does, or list it in INLINE_ONLY with the reason");
    }

    /**
     * Compares the policy file's probe fields with the inline ones.
     *
     * @return one sentence per field on one side only, in the order of the engine's fields, then the inline ones
     */
    static List<String> parityProblems(final String describable, final Set<String> engine, final Set<String> inline) {
        List<String> problems = new ArrayList<>();
        for (String field : engine) {
            if (!inline.contains(field) && !NOT_INLINE.containsKey(field)) {
                problems.add(("%s has no inline parameter for the policy file's probe field '%s': add "
                        + "@DataBoundSetter set%s (same name), or list it in NOT_INLINE with the reason")
                        .formatted(describable, field, Character.toUpperCase(field.charAt(0)) + field.substring(1)));
            }
        }
        for (String field : inline) {
            if (!engine.contains(field) && !INLINE_ONLY.containsKey(field)) {
                problems.add(("%s has the inline parameter '%s', which no policy file's probe has: name it as the "
                        + "policy file does, or list it in INLINE_ONLY with the reason").formatted(describable, field));
            }
            if (NOT_INLINE.containsKey(field)) {
                problems.add("%s binds '%s', listed as not inline (%s): remove it from NOT_INLINE"
                        .formatted(describable, field, NOT_INLINE.get(field)));
            }
        }
        return problems;
    }

    /** @return the probe's fields in a policy file: its components, {@code analysis} replaced by its components */
    static Set<String> engineFields(final Class<? extends Record> spec) {
        Set<String> fields = new LinkedHashSet<>(components(spec));
        fields.add("type");
        fields.remove("analysis");
        fields.addAll(components(AnalysisSettings.class));
        return fields;
    }

    private static Set<String> components(final Class<? extends Record> record) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).forEach(names::add);
        return names;
    }

    private static Set<String> inlineFields(final ProjectFiles project, final String simpleName) {
        Path file = project.mainJava().resolve("io/jenkins/plugins/rollbackguard/steps/" + simpleName + ".java");
        return new LinkedHashSet<>(DataBindingConventionTest.boundPropertiesWithInherited(project, file, simpleName));
    }

    private static Set<String> names(final JsonNode properties) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
