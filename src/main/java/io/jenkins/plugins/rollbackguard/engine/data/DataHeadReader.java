package io.jenkins.plugins.rollbackguard.engine.data;

/** Reads the data head from one database, through the client tools of the machine the backups run on. */
@FunctionalInterface
public interface DataHeadReader {
    /**
     * Reads the head now.
     *
     * @return the head; never null ("no migration history" is a head, see {@link DataHead#none})
     * @throws DataHeadException
     *         if the database cannot be read or the history table is ambiguous (one sentence, no secrets)
     */
    DataHead read();
}
