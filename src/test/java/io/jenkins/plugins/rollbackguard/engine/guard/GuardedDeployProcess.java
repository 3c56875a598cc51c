package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * A child JVM for the restart test: runs one guarded deploy of {@code v2} to environment {@code shop} as the CLI
 * would ({@link GuardSession#run}, this process as the lease owner), with a health probe long enough to be killed
 * during its watch. It prints each progress line, and {@code DONE <result>} if it ever ends.
 */
final class GuardedDeployProcess {
    static final EnvironmentName ENV = EnvironmentName.of("shop");
    /** Samples of the watch: enough to pass the machine's 5 s between two writes of the watch state. */
    static final int SAMPLES = 25;

    private GuardedDeployProcess() {
    }

    /**
     * The policy of the deploy, the same in the child and in the JVM that resumes it.
     *
     * @param healthUrl
     *         the application's health endpoint
     * @return the policy
     */
    static Policy policy(final String healthUrl) {
        HttpProbeSpec health = HttpProbeSpec.get("health", healthUrl, null,
                AnalysisSettings.builder().interval("300ms").count(SAMPLES).build());
        return new Policy(ENV, List.of(health), List.of(), null, null, null, null, null, null, null, null, null, null,
                "5s", null, null, null);
    }

    /**
     * The services of a JVM on a home directory ({@code ledger/}, {@code backups/}, {@code artifacts/}).
     *
     * @param home
     *         the home
     * @param scheduler
     *         times samples
     * @param samples
     *         runs them
     * @param listener
     *         gets progress
     * @return the services, with this process as the lease owner
     */
    static GuardServices services(final Path home, final SystemScheduler scheduler, final ExecutorService samples,
                                  final GuardListener listener) {
        return new GuardServices(Ledger.open(home.resolve("ledger")), new BackupStore(home.resolve("backups")),
                new FileArtifactStore(home.resolve("artifacts")), SecretSource.none(), new LocalCommandRunner(),
                scheduler, samples, listener, Notifier.none(), LeaseOwners.process());
    }

    /**
     * Runs the deploy.
     *
     * @param args
     *         the home directory, the health URL, the file the deploy installs
     */
    public static void main(final String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path installed = Path.of(args[2]);
        SystemScheduler scheduler = new SystemScheduler(2);
        ExecutorService samples = Executors.newFixedThreadPool(2);
        GuardListener listener = GuardListener.printingTo(System.out);
        GuardServices services = services(home, scheduler, samples, listener);
        ArtifactRef v2 = new FileArtifactStore(home.resolve("artifacts")).put(Files.writeString(home.resolve("v2.txt"), "v2"));
        DeployRequest request = new DeployRequest(PointSource.cli("deploy-v2"), List.of(v2), null, Map.of(), "alice",
                null, 0, "manual", null, Map.of());
        Deployer deployer = (RollbackPoint point) -> {
            try {
                Files.writeString(installed, "v2");
                return null;
            }
            catch (java.io.IOException e) {
                return "cannot install v2: " + e.getMessage();
            }
        };
        Reverter never = plan -> {
            throw new IllegalStateException("a healthy deploy is never reverted");
        };
        GuardOutcome outcome = new GuardSession(services, policy(args[1]), new Timeline(scheduler::now, listener))
                .run(request, deployer, never, false);
        System.out.println("DONE " + outcome.result());
        System.out.flush();
        System.exit(0);
    }

    /**
     * Starts this class in a new JVM with the test class path.
     *
     * @param args
     *         its arguments
     * @return the process, its output to be read by the caller
     */
    static Process start(final String... args) throws java.io.IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                GuardedDeployProcess.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
