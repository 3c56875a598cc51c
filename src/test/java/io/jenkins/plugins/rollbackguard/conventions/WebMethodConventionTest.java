package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source-level versions of the plugin architecture rules (style guide, sections c and e), for the Central-only
 * build where the ArchUnit class {@code archunit.PluginArchitectureTest} cannot load Jenkins classes: form checks
 * and list fills are {@code @POST} and check a permission, other web methods require POST, and only the facade
 * calls {@code Jenkins.get()}.
 */
class WebMethodConventionTest {
    private static final String DESCRIPTOR = """
            package x;
            public class D extends Descriptor<Thing> {
                @POST
                public FormValidation doCheckGood(@QueryParameter String value) {
                    if (!jenkins.hasPermission(Jenkins.ADMINISTER)) { return FormValidation.ok(); }
                    return FormValidation.ok();
                }
                public FormValidation doCheckNoPost(@QueryParameter String value) {
                    if (!jenkins.hasPermission(Jenkins.ADMINISTER)) { return FormValidation.ok(); }
                    return FormValidation.ok();
                }
                @POST
                public ListBoxModel doFillNoPermission() { return new ListBoxModel(); }
                @RequirePOST
                public HttpResponse doReset(StaplerRequest2 req) throws IOException { return HttpResponses.ok(); }
                @SuppressFBWarnings(value = {"X"}, justification = "a brace { in an annotation")
                @org.kohsuke.stapler.verb.POST
                public HttpResponse doQualified() { return HttpResponses.ok(); }
                public HttpResponse doStop() { return HttpResponses.ok(); }
                private void doInternal() { }
                void helper() { doStop(); }
            }
            """;

    @Test
    void shouldFindTheFormChecksOfTheConfiguration() {
        Path source = ProjectFiles.locate().mainJava()
                .resolve("io/jenkins/plugins/rollbackguard/config/WebhookTarget.java");

        assertThat(new JavaSource(ProjectFiles.read(source)).webMethods())
                .extracting(JavaSource.WebMethod::name)
                .contains("doCheckUrl", "doCheckCredentialsId", "doFillCredentialsIdItems");
    }

    @Test
    void shouldProtectEveryWebMethod() {
        assertThat(ProjectFiles.problemsInMainSources(Conventions::webMethodProblems)).isEmpty();
    }

    @Test
    void shouldCallJenkinsOnlyThroughTheFacade() {
        assertThat(ProjectFiles.problemsInMainSources(Conventions::jenkinsInstanceCalls)).isEmpty();
    }

    @Test
    void shouldReportUnprotectedWebMethods() {
        List<String> problems = Conventions.webMethodProblems("D.java", new JavaSource(DESCRIPTOR));

        assertThat(problems).containsExactlyInAnyOrder(
                "D.java: doCheckNoPost is not annotated with @POST",
                "D.java: doFillNoPermission does not check a permission through the facade's hasPermission",
                "D.java: doStop is neither @RequirePOST nor @POST");
    }

    @Test
    void shouldReportJenkinsInstanceCallsOutsideTheFacade() {
        String source = """
                class A {
                    // Jenkins.get() in a comment is fine
                    String s = "Jenkins.get()";
                    Object a = Jenkins.get();
                    Object b = jenkins.model.Jenkins.getInstanceOrNull();
                    Object c = Jenkins.getAuthentication2();
                }
                """;

        assertThat(Conventions.jenkinsInstanceCalls("src/A.java", new JavaSource(source)))
                .containsExactly("src/A.java: calls Jenkins.get() outside JenkinsFacade",
                        "src/A.java: calls Jenkins.getInstanceOrNull() outside JenkinsFacade");
        assertThat(Conventions.jenkinsInstanceCalls("src/util/JenkinsFacade.java", new JavaSource(source)))
                .isEmpty();
    }

}
