package io.jenkins.plugins.rollbackguard.archunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noConstructors;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules for the Jenkins-free engine. Both builds run this class: the plugin build and the
 * Central-only build in {@code cli/}.
 */
class EngineArchitectureTest {
    private static final String ENGINE = "io.jenkins.plugins.rollbackguard.engine";

    /** The engine must build and run without Jenkins: no type from Jenkins, Stapler or CloudBees. */
    static final ArchRule ENGINE_IS_JENKINS_FREE = noClasses()
            .that().resideInAPackage(ENGINE + "..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("hudson..", "jenkins..", "org.kohsuke..", "org.jenkinsci..", "com.cloudbees..")
            .because("the engine is built and tested on Maven Central alone (see docs/architecture.md)");

    /** Exceptions must say what failed: no constructor without a message. */
    static final ArchRule NO_EXCEPTIONS_WITH_NO_ARG_CONSTRUCTOR = noConstructors()
            .that().areDeclaredInClassesThat().areAssignableTo(Throwable.class)
            .and().areDeclaredInClassesThat().resideInAPackage(ENGINE + "..")
            .should().haveRawParameterTypes(new Class<?>[0])
            .because("an exception must carry the values that caused it");

    /** The engine must not reach into the CLI, which is one of its hosts. */
    static final ArchRule ENGINE_DOES_NOT_USE_ITS_HOSTS = noClasses()
            .that().resideInAPackage(ENGINE + "..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jenkins.plugins.rollbackguard.cli..",
                    "io.jenkins.plugins.rollbackguard.steps..", "io.jenkins.plugins.rollbackguard.ui..",
                    "io.jenkins.plugins.rollbackguard.freestyle..", "io.jenkins.plugins.rollbackguard.config..")
            .because("hosts depend on the engine, never the other way round");

    /** The statistical judges are used by engine.health and use none of it, so that the two make no cycle. */
    static final ArchRule JUDGES_STAND_ALONE = standAlone(ENGINE + ".health.judge..");

    private static ArchRule standAlone(final String judges) {
        return noClasses().that().resideInAPackage(judges)
                .should().dependOnClassesThat().resideInAnyPackage(ENGINE + ".health", ENGINE + ".health.probe..",
                        ENGINE + ".guard..", ENGINE + ".ledger..")
                .because("the replay benchmark and Analysis drive the judges; the judges know only counts and values");
    }

    private static JavaClasses engineClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ENGINE);
    }

    @Test
    void shouldImportTheEngine() {
        assertThat(engineClasses()).as("engine classes on the class path").hasSizeGreaterThan(5);
    }

    @Test
    void shouldKeepTheEngineFreeOfJenkins() {
        ENGINE_IS_JENKINS_FREE.check(engineClasses());
    }

    @Test
    void shouldNotDependOnHosts() {
        ENGINE_DOES_NOT_USE_ITS_HOSTS.check(engineClasses());
    }

    @Test
    void shouldKeepTheJudgesFreeOfTheRestOfHealth() {
        JUDGES_STAND_ALONE.check(engineClasses());
    }

    @Test
    void shouldRefuseAJudgeThatReachesBackIntoHealth() {
        // a deliberately bad judge: this test's nested class, judged by the same rule for this test's package
        JavaClasses bad = new ClassFileImporter().importClasses(BadJudge.class,
                io.jenkins.plugins.rollbackguard.engine.health.Outcome.class);
        assertThat(standAlone(BadJudge.class.getPackageName()).evaluate(bad).hasViolation()).isTrue();
        assertThat(JUDGES_STAND_ALONE.evaluate(engineClasses()).hasViolation()).isFalse();
    }

    /** Reads an Outcome, as a judge must not. */
    static final class BadJudge {
        io.jenkins.plugins.rollbackguard.engine.health.Outcome outcome() {
            return io.jenkins.plugins.rollbackguard.engine.health.Outcome.SUCCESS;
        }
    }

    @Test
    void shouldGiveEveryExceptionAMessage() {
        NO_EXCEPTIONS_WITH_NO_ARG_CONSTRUCTOR.check(engineClasses());
    }
}
