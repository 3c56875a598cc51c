package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * Keeps the points of a renamed or moved job: ledger points name the job as it was called when they were
 * recorded, and this file ({@code JENKINS_HOME/rollback-guard/job-aliases.properties}) maps each old full name
 * to the new one. Lookups follow the chain, so a job renamed twice still finds its oldest points.
 */
public class JobAliases {
    private static final String FILE = "job-aliases.properties";
    private static final int MAX_HOPS = 32;

    private final Path file;

    /** Creates the aliases of the running Jenkins. */
    public JobAliases() {
        this(new RollbackGuardHome());
    }

    /**
     * Creates the aliases kept below a home.
     *
     * @param home
     *         the plugin's directories
     */
    public JobAliases(final RollbackGuardHome home) {
        this.file = home.getRoot().resolve(FILE);
    }

    /**
     * Records a rename.
     *
     * @param oldFullName
     *         the name before
     * @param newFullName
     *         the name after
     * @throws IOException
     *         if the file cannot be written
     */
    public synchronized void rename(final String oldFullName, final String newFullName) throws IOException {
        Properties aliases = load();
        aliases.setProperty(oldFullName, newFullName);
        aliases.remove(newFullName); // a job renamed back is itself again
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(FILE + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            aliases.store(out, "rollback-guard: old job full name = new job full name");
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Returns the current name of a job named in a point.
     *
     * @param recordedName
     *         the full name recorded in the ledger
     * @return the name it has now
     */
    public synchronized String current(final String recordedName) {
        Properties aliases = load();
        String name = recordedName;
        for (int hop = 0; hop < MAX_HOPS && aliases.containsKey(name); hop++) {
            name = aliases.getProperty(name);
        }
        return name;
    }

    /**
     * Tells whether a recorded name refers to a job that is now called {@code currentName}.
     *
     * @param recordedName
     *         the name in the ledger
     * @param currentName
     *         the job's full name now
     * @return whether they are the same job
     */
    public boolean sameJob(final String recordedName, final String currentName) {
        return currentName.equals(recordedName) || currentName.equals(current(recordedName));
    }

    private Properties load() {
        Properties aliases = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                aliases.load(in);
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file, e);
            }
        }
        return aliases;
    }
}
