package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard lease}: the environment lease that serialises guarded deploys. */
@Command(name = "lease", mixinStandardHelpOptions = true,
        description = "Show or break the lease that serialises guarded deploys of an environment.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard lease show --env production",
        subcommands = {LeaseCommand.Show.class, LeaseCommand.Break.class})
final class LeaseCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Without show or break there is nothing to do: the usage, and the exit code of bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code rollback-guard lease show}: who holds the lease, since when, at which epoch. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show who holds an environment's lease.",
            footerHeading = "%nExample:%n", footer = "  rollback-guard lease show --env production")
    static final class Show implements Callable<Integer> {
        @Mixin
        private LedgerOptions ledgerOptions;

        @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
        private String environment;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            EnvironmentName env = EnvironmentName.of(environment);
            Optional<Lease> lease = ledgerOptions.open().lease(env);
            spec.commandLine().getOut().printf("%s: lease %s%n", env, lease.map(Lease::describe).orElse("free"));
            return ExitCodes.OK;
        }
    }

    /** {@code rollback-guard lease break}: frees a lease whose holder cannot be found dead automatically. */
    @Command(name = "break", mixinStandardHelpOptions = true,
            header = "Break an environment's lease, held by a Jenkins build or a run on another host that is gone.",
            description = "The reason, who broke it and the holder are recorded in the audit trail.",
            footerHeading = "%nExample:%n",
            footer = {"  rollback-guard lease break --env production \\",
                "      --reason \"build 812 died with its agent\""})
    static final class Break implements Callable<Integer> {
        @Mixin
        private LedgerOptions ledgerOptions;

        @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
        private String environment;

        @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT",
                description = "Why the holder cannot deploy any more.")
        private String reason;

        @Option(names = "--by", paramLabel = "NAME", description = "Who breaks it (default: the user name).")
        private String by;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            EnvironmentName env = EnvironmentName.of(environment);
            String actor = by != null ? by : System.getProperty("user.name");
            Optional<Lease> broken = ledgerOptions.open().breakLease(env, actor, reason);
            PrintWriter out = spec.commandLine().getOut();
            if (broken.isPresent()) {
                Lease lease = broken.get();
                out.printf("%s: broke the lease held by %s since %s (epoch %d); broken by %s: %s%n", env, lease.owner(),
                        lease.since(), lease.epoch(), actor, reason);
            }
            else {
                out.printf("%s: the lease is free; nothing to break, nothing recorded%n", env);
            }
            return ExitCodes.OK;
        }
    }
}
