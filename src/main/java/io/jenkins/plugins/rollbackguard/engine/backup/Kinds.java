package io.jenkins.plugins.rollbackguard.engine.backup;

/** Finds the handler of a kind. */
final class Kinds {
    private Kinds() {
        // static helpers only
    }

    static KindHandler of(final BackupKind kind) {
        return switch (kind) {
            case FILES -> new FilesKind();
            case POSTGRES -> new PostgresKind();
            case MYSQL -> new MysqlKind();
            case COMMAND -> new CommandKind();
        };
    }
}
