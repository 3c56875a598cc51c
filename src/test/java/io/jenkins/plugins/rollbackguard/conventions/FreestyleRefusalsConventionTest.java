package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A freestyle build starts its guard machine on the build's thread, which throws what refuses the deploy before
 * anything is recorded: a {@code GuardRefusedException} (the lease, a frozen environment, a probe not reached) or a
 * {@code PolicyCheckException} (a missing secret, a program or a backup source not found where it runs). Both are one
 * sentence for the build log; one not caught reaches Jenkins as a stack trace (a backup source missing on the
 * controller did, in RollbackGuardFreestyleITest's control). So every {@code catch} of the freestyle package that
 * names {@code GuardRefusedException} names {@code PolicyCheckException} too (or their parent
 * {@code GuardException}). Proven on a deliberately bad snippet.
 */
class FreestyleRefusalsConventionTest {
    private static final Pattern CATCH = Pattern.compile("catch\\s*\\(([^)]*)\\)");

    @Test
    void shouldTurnEveryRefusalOfAFreestyleStartIntoOneSentence() {
        List<String> problems = ProjectFiles.problemsInMainSources((file, source) ->
                file.contains("/freestyle/") ? problems(file, source.code()) : List.of());
        List<String> catching = ProjectFiles.problemsInMainSources((file, source) ->
                file.contains("/freestyle/") && source.code().contains("GuardRefusedException") ? List.of(file)
                        : List.of());

        assertThat(catching).as("freestyle sources that catch refusals").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportACatchOfTheLeaseRefusalAlone() {
        String bad = """
                class Builder {
                    void perform() {
                        try { guard.start(request); }
                        catch (GuardRefusedException e) { throw new AbortException(e.getMessage()); }
                    }
                }
                """;
        String good = """
                class Builder {
                    void perform() {
                        try { guard.start(request); }
                        catch (GuardRefusedException | PolicyCheckException e) { throw new AbortException(e.getMessage()); }
                    }
                }
                """;

        assertThat(problems("freestyle/Builder.java", new JavaSource(bad).code())).containsExactly(
                "freestyle/Builder.java: catches GuardRefusedException but not PolicyCheckException: a policy check that "
                        + "refuses the deploy (a missing secret, a backup source not found) would reach the build log as "
                        + "a stack trace; catch both");
        assertThat(problems("freestyle/Builder.java", new JavaSource(good).code())).isEmpty();
    }

    static List<String> problems(final String file, final String code) {
        List<String> problems = new ArrayList<>();
        Matcher clause = CATCH.matcher(code);
        while (clause.find()) {
            String types = clause.group(1);
            if (types.contains("GuardRefusedException") && !types.contains("PolicyCheckException")
                    && !types.matches(".*\\bGuardException\\b.*")) {
                problems.add(file + ": catches GuardRefusedException but not PolicyCheckException: a policy check "
                        + "that refuses the deploy (a missing secret, a backup source not found) would reach the build "
                        + "log as a stack trace; catch both");
            }
        }
        return problems;
    }
}
