package io.jenkins.plugins.rollbackguard.engine.backup;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;

/** Runs a process through the context's runner and turns a failure into a clear {@link BackupException}. */
final class Processes {
    private Processes() {
        // static helpers only
    }

    static CommandResult run(final BackupContext ctx, final String what, final CommandRequest request) {
        CommandResult result;
        try {
            result = ctx.runner().run(request);
        }
        catch (CommandException e) {
            throw new BackupException("%s: %s".formatted(what, e.getMessage()), e);
        }
        if (!result.succeeded()) {
            throw new BackupException("%s failed (%s): %s".formatted(what, request.describe(), result.summary()));
        }
        return result;
    }
}
