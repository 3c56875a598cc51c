package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LeaseLostException;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;

/**
 * A child JVM for the lease tests: takes an environment's lease as this process ({@code cli:<host>:<pid>:<start>})
 * or as a named owner (a Jenkins build), with the CLI's liveness, and prints {@code HELD <owner> <epoch> <took over
 * from>} or {@code REFUSED <message>}. Then it obeys lines on its standard input: {@code renew}, {@code release},
 * {@code exit} (leaves without releasing, as a controller that restarts). It never releases by itself.
 */
final class LeaseHolderProcess {
    private LeaseHolderProcess() {
    }

    /**
     * Takes the lease and obeys commands.
     *
     * @param args
     *         the ledger root, the environment, the owner ({@code process} for this process), seconds to wait
     */
    public static void main(final String[] args) throws Exception {
        Ledger ledger = Ledger.open(Path.of(args[0]));
        EnvironmentName environment = EnvironmentName.of(args[1]);
        LeaseOwners process = LeaseOwners.process();
        LeaseOwners owners = "process".equals(args[2]) ? process : new LeaseOwners(args[2], process.liveness());
        Lease lease;
        try {
            lease = EnvironmentLease.take(ledger, environment, owners, Duration.ofSeconds(Long.parseLong(args[3])),
                    line -> System.out.println("PROGRESS " + line)).lease();
        }
        catch (GuardRefusedException e) {
            System.out.println("REFUSED " + e.getMessage());
            return;
        }
        String tookOver = ledger.events(environment, 1).get(0).reason();
        System.out.println("HELD " + lease.owner() + " " + lease.epoch() + " " + tookOver);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            switch (command) {
                case "renew" -> {
                    try {
                        System.out.println("RENEWED " + ledger.renewLease(environment, lease.owner(), lease.epoch()).epoch());
                    }
                    catch (LeaseLostException e) {
                        System.out.println("LOST " + e.getMessage());
                    }
                }
                case "release" -> System.out.println("RELEASED " + ledger.releaseLease(environment, lease.owner(), lease.epoch()));
                case "exit" -> {
                    System.out.println("EXIT");
                    System.out.flush();
                    return;
                }
                default -> System.out.println("UNKNOWN " + command);
            }
            System.out.flush();
        }
    }

    /**
     * Starts this class in a new JVM with the test class path.
     *
     * @param args
     *         its arguments
     * @return the process
     */
    static Process start(final String... args) throws java.io.IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LeaseHolderProcess.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
