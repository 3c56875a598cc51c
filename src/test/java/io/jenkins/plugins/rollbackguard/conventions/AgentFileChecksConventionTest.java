package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A Jenkins host of the guard machine runs commands, backups and hooks on the build's agent, so preflight must check
 * their programs and files there: a host that builds an agent's command runner or backup taker overrides
 * {@code checkFiles} with {@code AgentFileChecks}. Without it the engine's default checks the controller's disk and
 * a program missing on the agent is found only after the deploy ran. The twin of the agent case of
 * {@code WithRollbackGuardPreflightITest}, with {@code PreflightMachineTest.shouldRefuseWhatTheHostFindsWhereItsProgramsRun}.
 */
class AgentFileChecksConventionTest {
    private static final String CHECKED = """
            final class H implements GuardMachine.Host {
                public BackupManifest takeBackup(BackupSpec spec, String key) { return new AgentBackupTaker(ws).take(spec, key); }
                public FileChecks.Result checkFiles(Policy p) { return AgentFileChecks.check(ws, p, null); }
            }
            """;
    private static final String UNCHECKED = """
            final class H implements GuardMachine.Host {
                public BackupManifest takeBackup(BackupSpec spec, String key) { return new AgentBackupTaker(ws).take(spec, key); }
            }
            """;

    @Test
    void shouldCheckTheProgramsOfEveryAgentHostOnTheAgent() {
        assertThat(ProjectFiles.problemsInMainSources(AgentFileChecksConventionTest::problems)).isEmpty();
    }

    @Test
    void shouldCatchAnAgentHostThatChecksOnTheController() {
        assertThat(problems("H.java", new JavaSource(CHECKED))).isEmpty();
        assertThat(problems("H.java", new JavaSource(UNCHECKED))).singleElement()
                .satisfies(problem -> assertThat(problem).startsWith("H.java"));
    }

    private static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        boolean agentHost = !file.contains("/engine/") && code.contains("implements GuardMachine.Host")
                && (code.contains("AgentBackupTaker") || code.contains("LauncherCommandRunner"));
        if (agentHost && !(code.contains("checkFiles(") && code.contains("AgentFileChecks.check("))) {
            problems.add(file + ": a guard host that runs on an agent does not check the policy's programs there "
                    + "(override checkFiles with AgentFileChecks.check)");
        }
        return problems;
    }
}
