package io.jenkins.plugins.rollbackguard.steps;

import java.util.Map;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * A command probe run through the step's launcher (so {@code docker.inside} applies):
 * {@code command(name: 'smoke', command: './smoke.sh', failIf: 'exit != 0')}.
 */
public class CommandGuardProbe extends GuardProbe {
    private static final long serialVersionUID = 1L; // first release

    private final String command;
    private String valuePattern = "";

    /**
     * Creates the probe.
     *
     * @param name
     *         the probe name, unique in the policy
     * @param command
     *         the program and its arguments, separated by white space
     */
    @DataBoundConstructor
    public CommandGuardProbe(final String name, final String command) {
        super(name);
        this.command = command == null ? "" : command.strip();
    }

    public String getCommand() {
        return command;
    }

    public String getValuePattern() {
        return valuePattern;
    }

    @DataBoundSetter
    public void setValuePattern(final String valuePattern) {
        this.valuePattern = valuePattern == null ? "" : valuePattern.strip();
    }

    @Override
    ProbeSpec toSpec(final ProbeDefaults defaults) {
        return new CommandProbeSpec(getName(), GuardBackup.words(command), Map.of(), Map.of(), getTimeout(),
                blankToNull(valuePattern), failIfOrNull(), successIfOrNull(), analysis(defaults));
    }

    /** Registers the probe kind with the symbol {@code command}. */
    @Extension
    @Symbol("command")
    public static class DescriptorImpl extends GuardProbeDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.CommandGuardProbe_DisplayName();
        }
    }
}
