package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every host reads a policy file with its defaults (issue 17): outside the engine, a policy file or stream is never
 * read by {@code new PolicyReader()}, the reader without host defaults, so a policy-file probe gets the Jenkins
 * global defaults (Pipeline's PolicyResolver, freestyle's PolicyLoader) or the CLI home's defaults.yaml. Parsing a
 * policy kept with a point (already resolved when it ran) stays free; and the global configuration hands every
 * default of a policy field to the engine. The twin of the Jenkins wiring, whose ITests never run here
 * (WithRollbackGuardHostDefaultsITest); the layering itself is {@code PolicyReaderDefaultsTest}'s and
 * {@code HostDefaultsTest}'s.
 */
class HostDefaultsConventionTest {
    private static final Pattern WITHOUT_DEFAULTS = Pattern.compile("new PolicyReader\\(\\)\\s*\\.(read|explain)\\(");
    /** The configuration's fields that default a policy field, as its setters name them. */
    private static final List<String> GLOBAL_DEFAULTS = List.of("interval", "watch", "failureLimit",
            "consecutiveErrorLimit", "cooldown", "keepGood");
    private static final Pattern WITH_DEFAULTS = Pattern.compile("new PolicyReader\\((?!\\))|policyReader\\(\\)");

    @Test
    void shouldReadEveryPolicyFileWithTheHostsDefaults() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        for (Path dir : List.of(project.mainJava(), project.root().resolve("cli/src/main/java"))) {
            for (Path file : ProjectFiles.list(dir, ".java")) {
                String name = project.root().relativize(file).toString();
                if (!name.contains("/engine/")) {
                    problems.addAll(problems(name, ProjectFiles.read(file)));
                }
            }
        }

        assertThat(problems).isEmpty();
        for (String reader : List.of("steps/PolicyResolver.java", "freestyle/PolicyLoader.java")) {
            assertThat(WITH_DEFAULTS.matcher(ProjectFiles.read(project.mainJava()
                    .resolve("io/jenkins/plugins/rollbackguard/" + reader))).find()).as(reader).isTrue();
        }
    }

    @Test
    void shouldFindAPolicyFileReadWithoutDefaults() {
        assertThat(problems("X.java", """
                Policy a = new PolicyReader().read(policyFile);
                Policy b = new PolicyReader()
                        .read(path, in);
                Policy c = new PolicyReader().parse("policy of point #1", kept);
                Policy d = new PolicyReader(defaults).read(policyFile);
                """)).containsExactly("X.java:1: reads a policy file without the host's defaults; use new"
                + " PolicyReader(HostDefaults)", "X.java:2: reads a policy file without the host's defaults; use new"
                + " PolicyReader(HostDefaults)");
    }

    /**
     * The global configuration hands every default of a policy field to the engine: each of them appears in its
     * {@code hostDefaults()} (the rule, the policy's value &gt; the global default &gt; the engine's, is the engine's).
     */
    @Test
    void shouldHandEveryGlobalDefaultToTheEngine() {
        String source = ProjectFiles.read(ProjectFiles.locate().mainJava()
                .resolve("io/jenkins/plugins/rollbackguard/config/RollbackGuardConfiguration.java"));

        assertThat(notHandedOver(source)).isEmpty();
        assertThat(notHandedOver("""
                    public HostDefaults hostDefaults() {
                        return new HostDefaults(new AnalysisDefaults("J", interval, watch, failureLimit,
                                consecutiveErrorLimit), cooldown, null);
                    }
                """)).as("a bad snippet").containsExactly("keepGood");
        assertThat(notHandedOver("class X {}")).as("no hostDefaults() at all").isEqualTo(GLOBAL_DEFAULTS);
    }

    static List<String> notHandedOver(final String source) {
        Matcher body = Pattern.compile("HostDefaults hostDefaults\\(\\) \\{(.*?)\\n    }", Pattern.DOTALL).matcher(source);
        String handed = body.find() ? body.group(1) : "";
        return GLOBAL_DEFAULTS.stream().filter(field -> !Pattern.compile("\\b" + field + "\\b").matcher(handed).find())
                .toList();
    }

    static List<String> problems(final String name, final String source) {
        List<String> problems = new ArrayList<>();
        Matcher bad = WITHOUT_DEFAULTS.matcher(source);
        while (bad.find()) {
            int line = source.substring(0, bad.start()).split("\n", -1).length;
            problems.add(name + ":" + line + ": reads a policy file without the host's defaults; use new"
                    + " PolicyReader(HostDefaults)");
        }
        return problems;
    }
}
