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

    private final String name;
    private final String command;
    private String valuePattern = "";
    private String failIf = "";
    private String successIf = "";
    private String interval = "";
    private int count;

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
        super();
        this.name = name == null ? "" : name.strip();
        this.command = command == null ? "" : command.strip();
    }

    public String getName() {
        return name;
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

    public String getFailIf() {
        return failIf;
    }

    @DataBoundSetter
    public void setFailIf(final String failIf) {
        this.failIf = failIf == null ? "" : failIf.strip();
    }

    public String getSuccessIf() {
        return successIf;
    }

    @DataBoundSetter
    public void setSuccessIf(final String successIf) {
        this.successIf = successIf == null ? "" : successIf.strip();
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(final String interval) {
        this.interval = interval == null ? "" : interval.strip();
    }

    public int getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(final int count) {
        this.count = Math.max(0, count);
    }

    @Override
    public ProbeSpec toSpec() {
        return new CommandProbeSpec(name, GuardBackup.words(command), Map.of(), Map.of(), null,
                blankToNull(valuePattern), blankToNull(failIf), blankToNull(successIf), analysis(interval, count));
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
