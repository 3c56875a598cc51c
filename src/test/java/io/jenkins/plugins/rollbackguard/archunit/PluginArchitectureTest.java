package io.jenkins.plugins.rollbackguard.archunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.kohsuke.stapler.verb.POST;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import hudson.model.Descriptor;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Architecture rules for the Jenkins glue, on compiled classes (style guide, section e). Only the plugin build runs
 * this class: it loads Jenkins classes. The Central-only build checks the same rules on the source text in
 * {@code conventions.WebMethodConventionTest}.
 */
class PluginArchitectureTest {
    private static final String PLUGIN = "io.jenkins.plugins.rollbackguard";

    /** Only the facade reaches the running Jenkins, so that everything else can be tested with a stubbed facade. */
    static final ArchRule NO_JENKINS_INSTANCE_CALL = noClasses()
            .that().doNotHaveSimpleName(JenkinsFacade.class.getSimpleName())
            .should().callMethod(Jenkins.class, "get")
            .orShould().callMethod(Jenkins.class, "getInstance")
            .orShould().callMethod(Jenkins.class, "getInstanceOrNull")
            .orShould().callMethod(Jenkins.class, "getActiveInstance")
            .because("Jenkins is reached through JenkinsFacade");

    /** Form checks answer POST only and check a permission first (CSRF and information leaks). */
    static final ArchRule USE_POST_FOR_VALIDATION_END_POINTS = methods()
            .that().areDeclaredInClassesThat().areAssignableTo(Descriptor.class)
            .and().haveNameMatching("doCheck[A-Z].*")
            .should().beAnnotatedWith(POST.class)
            .andShould().bePublic()
            .andShould(callTheFacadesPermissionCheck());

    /** List fills answer POST only and check a permission first (they may list credential ids). */
    static final ArchRule USE_POST_FOR_LIST_AND_COMBOBOX_FILL = methods()
            .that().areDeclaredInClassesThat().areAssignableTo(Descriptor.class)
            .and().haveNameMatching("doFill[A-Z].*")
            .should().beAnnotatedWith(POST.class)
            .andShould().bePublic()
            .andShould(callTheFacadesPermissionCheck());

    /** Every other web method changes or reveals state, so it must not answer a plain GET. */
    static final ArchRule USE_POST_FOR_OTHER_WEB_METHODS = methods()
            .that().areDeclaredInClassesThat().resideInAPackage(PLUGIN + "..")
            .and().arePublic()
            .and().haveNameMatching("do[A-Z].*")
            .and().haveNameNotMatching("do(Check|Fill)[A-Z].*")
            .should().beAnnotatedWith(RequirePOST.class)
            .orShould().beAnnotatedWith(POST.class)
            .allowEmptyShould(true);

    /** Stapler binds forms only to public classes. */
    static final ArchRule DATA_BOUND_CONSTRUCTOR_MUST_BE_IN_PUBLIC_CLASS = constructors()
            .that().areAnnotatedWith(DataBoundConstructor.class)
            .should().beDeclaredInClassesThat().arePublic();

    /** Stapler binds forms only to public classes. */
    static final ArchRule DATA_BOUND_SETTER_MUST_BE_IN_PUBLIC_CLASS = methods()
            .that().areAnnotatedWith(DataBoundSetter.class)
            .should().beDeclaredInClassesThat().arePublic();

    private static JavaClasses pluginClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PLUGIN);
    }

    @Test
    void shouldImportTheGlue() {
        assertThat(pluginClasses().contain(JenkinsFacade.class)).as("the facade is on the class path").isTrue();
    }

    @Test
    void shouldCallJenkinsOnlyThroughTheFacade() {
        NO_JENKINS_INSTANCE_CALL.check(pluginClasses());
    }

    @Test
    void shouldProtectFormChecks() {
        USE_POST_FOR_VALIDATION_END_POINTS.check(pluginClasses());
    }

    @Test
    void shouldProtectListFills() {
        USE_POST_FOR_LIST_AND_COMBOBOX_FILL.check(pluginClasses());
    }

    @Test
    void shouldRequirePostForOtherWebMethods() {
        USE_POST_FOR_OTHER_WEB_METHODS.check(pluginClasses());
    }

    @Test
    void shouldBindOnlyPublicClasses() {
        DATA_BOUND_CONSTRUCTOR_MUST_BE_IN_PUBLIC_CLASS.check(pluginClasses());
        DATA_BOUND_SETTER_MUST_BE_IN_PUBLIC_CLASS.check(pluginClasses());
    }

    private static ArchCondition<JavaMethod> callTheFacadesPermissionCheck() {
        return new ArchCondition<>("call JenkinsFacade.hasPermission") {
            @Override
            public void check(final JavaMethod method, final ConditionEvents events) {
                if (method.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                    return;
                }
                boolean checks = method.getCallsFromSelf().stream()
                        .anyMatch(call -> call.getTargetOwner().isAssignableTo(JenkinsFacade.class)
                                && "hasPermission".equals(call.getName()));
                if (!checks) {
                    events.add(SimpleConditionEvent.violated(method,
                            "%s does not call JenkinsFacade.hasPermission".formatted(method.getFullName())));
                }
            }
        };
    }
}
