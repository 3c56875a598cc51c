package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import hudson.model.Run;
import jenkins.util.VirtualFile;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.engine.guard.ArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The engine's {@link ArtifactStore} on the builds' archived artifacts: a point's artifact carries the location
 * {@code job#build:relativePath} (see {@link #location}), read through the build's {@code ArtifactManager}, so any
 * artifact manager (local disk, S3...) works. Jenkins owns these files: {@link #prune} deletes nothing; the last
 * good builds are kept from the build discarder by keep-log instead.
 */
public class BuildArtifactStore implements ArtifactStore {
    private final JenkinsFacade jenkins;
    private final JobAliases aliases;
    /** The points' own files (log tail, evidence), on the controller's disk; null: kept nowhere. */
    @CheckForNull
    private final FileArtifactStore pointFiles;

    /** Creates the store of the running Jenkins, keeping no point files (a manual rollback's). */
    public BuildArtifactStore() {
        this(new JenkinsFacade(), new JobAliases());
    }

    /**
     * Creates the store of the running Jenkins for one environment, keeping its points' own files (the build log's
     * tail at the end of the deploy, the evidence of a trip) in a directory of the controller.
     *
     * @param pointFilesRoot
     *         the environment's directory of point files ({@code RollbackGuardHome.getPointFilesRoot})
     */
    public BuildArtifactStore(final Path pointFilesRoot) {
        this.jenkins = new JenkinsFacade();
        this.aliases = new JobAliases();
        this.pointFiles = new FileArtifactStore(pointFilesRoot);
    }

    /**
     * Creates a store.
     *
     * @param jenkins
     *         finds builds
     * @param aliases
     *         follows renamed jobs
     */
    public BuildArtifactStore(final JenkinsFacade jenkins, final JobAliases aliases) {
        this.jenkins = jenkins;
        this.aliases = aliases;
        this.pointFiles = null;
    }

    /**
     * Returns the location of an archived artifact.
     *
     * @param run
     *         the build
     * @param relativePath
     *         the artifact's path in the build's archive
     * @return {@code job#build:relativePath}
     */
    public static String location(final Run<?, ?> run, final String relativePath) {
        return run.getParent().getFullName() + "#" + run.getNumber() + ":" + relativePath;
    }

    /**
     * Opens an archived artifact named by a location.
     *
     * @param artifact
     *         the artifact
     * @return the file in the build's archive, or empty if the build is gone or the location is not one of ours
     */
    public Optional<VirtualFile> open(final ArtifactRef artifact) {
        String location = artifact.location();
        if (location == null) {
            return Optional.empty();
        }
        int hash = location.lastIndexOf('#');
        int colon = location.indexOf(':', hash + 1);
        if (hash <= 0 || colon < 0) {
            return Optional.empty();
        }
        try {
            int number = Integer.parseInt(location.substring(hash + 1, colon));
            String job = aliases.current(location.substring(0, hash));
            return jenkins.getBuild(job, number)
                    .map(run -> run.getArtifactManager().root().child(location.substring(colon + 1)));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean contains(final ArtifactRef artifact) {
        Optional<VirtualFile> file = open(artifact);
        if (file.isEmpty()) {
            return false;
        }
        try {
            return file.get().isFile() && file.get().length() == artifact.size()
                    && sha256(file.get()).equals(artifact.sha256());
        }
        catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<Path> locate(final ArtifactRef artifact) {
        return open(artifact).map(VirtualFile::toURI).filter(uri -> "file".equals(uri.getScheme())).map(Path::of);
    }

    @Override
    public int prune(final Set<String> keep) {
        return 0; // the build discarder owns archived artifacts; good builds are protected by keep-log
    }

    @Override
    public Optional<Path> pointFiles(final long pointId) {
        return pointFiles == null ? Optional.empty() : pointFiles.pointFiles(pointId);
    }

    @Override
    public int prunePoints(final Set<Long> keep) {
        return pointFiles == null ? 0 : pointFiles.prunePoints(keep);
    }

    /**
     * Hashes an archived file.
     *
     * @param file
     *         the file
     * @return its SHA-256, lower-case hex
     * @throws IOException
     *         if it cannot be read
     */
    public static String sha256(final VirtualFile file) throws IOException {
        try (InputStream in = file.open()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
