package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;

import static org.assertj.core.api.Assertions.*;

class FileArtifactStoreTest {
    @TempDir
    private Path dir;

    @Test
    void shouldKeepAnArtifactUnderItsOriginalNameInADirectoryNamedByItsHash() throws Exception {
        Path war = Files.writeString(dir.resolve("shop-2.4.war"), "the shop, version 2.4");
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts/prod"));

        ArtifactRef ref = store.put(war);

        Path kept = store.locate(ref).orElseThrow();
        assertThat(kept.getFileName().toString()).isEqualTo("shop-2.4.war");
        assertThat(kept.getParent().getFileName().toString()).isEqualTo(ref.sha256()).isEqualTo(sha256("the shop, version 2.4"));
        assertThat(kept).content().isEqualTo("the shop, version 2.4");
        assertThat(store.contains(ref)).isTrue();
        assertThat(ref.name()).isEqualTo("shop-2.4.war");
        try (var left = Files.list(dir.resolve("artifacts/prod"))) {
            assertThat(left).hasSize(1); // no temporary file
        }
    }

    /** A ledger written before names were kept: its artifact is where that store put it, root/ab/abcdef.... */
    @Test
    void shouldFindAnArtifactOfTheFlatLayoutWrittenBefore() throws Exception {
        String sha = sha256("shop 1.0");
        Path root = dir.resolve("artifacts/prod");
        Path flat = Files.createDirectories(root.resolve(sha.substring(0, 2))).resolve(sha);
        Files.writeString(flat, "shop 1.0");
        FileArtifactStore store = new FileArtifactStore(root);
        ArtifactRef old = new ArtifactRef("shop-1.0.war", sha, 8, flat.toString());

        assertThat(store.locate(old)).contains(flat);
        assertThat(store.contains(new ArtifactRef("shop-1.0.war", sha, 9, flat.toString()))).isFalse(); // wrong size

        ArtifactRef again = store.put(Files.writeString(dir.resolve("shop-1.0.war"), "shop 1.0"));
        assertThat(store.locate(again).orElseThrow().getFileName().toString()).isEqualTo("shop-1.0.war");
    }

    @Test
    void shouldPruneBothLayoutsButWhatIsKeptOrYoung() throws Exception {
        Path root = dir.resolve("artifacts/prod");
        FileArtifactStore store = new FileArtifactStore(root);
        ArtifactRef kept = store.put(Files.writeString(dir.resolve("a.war"), "kept"));
        ArtifactRef dropped = store.put(Files.writeString(dir.resolve("b.war"), "dropped"));
        ArtifactRef young = store.put(Files.writeString(dir.resolve("c.war"), "young"));
        String oldSha = sha256("old flat");
        Path flat = Files.createDirectories(root.resolve(oldSha.substring(0, 2))).resolve(oldSha);
        Files.writeString(flat, "old flat");
        Instant longAgo = Instant.now().minus(FileArtifactStore.GRACE).minusSeconds(60);
        for (Path path : new Path[] {root.resolve(kept.sha256()), root.resolve(dropped.sha256()), flat}) {
            Files.setLastModifiedTime(path, FileTime.from(longAgo));
        }

        int deleted = store.prune(Set.of(kept.sha256()));

        assertThat(deleted).isEqualTo(2);
        assertThat(store.contains(kept)).isTrue();
        assertThat(store.contains(young)).isTrue();
        assertThat(store.contains(dropped)).isFalse();
        assertThat(root.resolve(dropped.sha256())).doesNotExist();
        assertThat(flat).doesNotExist();
    }

    @Test
    void shouldPruneThePointsFilesWithTheirPointsButKeepTheEvidenceOfATrip() throws Exception {
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts/prod"));
        Instant longAgo = Instant.now().minus(FileArtifactStore.GRACE).minusSeconds(60);
        for (long id = 1; id <= 4; id++) {
            Path files = store.pointFiles(id).orElseThrow();
            Files.createDirectories(files);
            Files.writeString(files.resolve("deploy-output.log"), "[deploy] point " + id);
            if (id == 2) {
                Files.createDirectories(files.resolve(FileArtifactStore.EVIDENCE));
            }
            if (id != 4) {
                Files.setLastModifiedTime(files, FileTime.from(longAgo));
            }
        }

        int deleted = store.prunePoints(Set.of(3L));

        assertThat(deleted).isEqualTo(1);
        assertThat(store.pointFiles(1).orElseThrow()).doesNotExist();
        assertThat(store.pointFiles(2).orElseThrow().resolve("deploy-output.log")).exists(); // a trip's evidence
        assertThat(store.pointFiles(3).orElseThrow().resolve("deploy-output.log")).exists(); // kept
        assertThat(store.pointFiles(4).orElseThrow().resolve("deploy-output.log")).exists(); // young
    }

    @Test
    void shouldNeverLetANameLeaveItsDirectory() {
        assertThat(FileArtifactStore.safeName("..")).isEqualTo("artifact");
        assertThat(FileArtifactStore.safeName("a/b")).isEqualTo("artifact");
        assertThat(FileArtifactStore.safeName("shop.deb")).isEqualTo("shop.deb");
    }

    private static String sha256(final String text) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
