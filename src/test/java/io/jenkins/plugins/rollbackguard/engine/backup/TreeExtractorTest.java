package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the class {@link TreeExtractor} with crafted, hostile archives. */
class TreeExtractorTest {
    @TempDir
    private Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "a/../../evil.txt", "/tmp/evil.txt", "a/b/../../../evil.txt", "..\\evil.txt"})
    void shouldRefuseEntriesThatEscape(final String name) throws IOException {
        Path archive = craft(name, null);
        Path target = temp.resolve("out/target");

        assertThatThrownBy(() -> new TreeExtractor(target).extract(archive, Hashing.sha256(archive), 1 << 20, 100))
                .isInstanceOf(BackupException.class).hasMessageContaining(name);
        assertThat(temp.resolve("out/evil.txt")).doesNotExist();
        assertThat(temp.resolve("evil.txt")).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({"link,../outside", "link,/etc/passwd", "a/link,../../outside", "link,a/../../outside"})
    void shouldRefuseLinksThatEscape(final String name, final String target) throws IOException {
        Path archive = craft(name, target);

        assertThatThrownBy(() -> new TreeExtractor(temp.resolve("target")).extract(archive, Hashing.sha256(archive), 1 << 20, 100))
                .isInstanceOf(BackupException.class).hasMessageContaining(target);
    }

    /** Each link stays inside on its own, but the second one escapes through the first. */
    @Test
    void shouldRefuseLinksThatEscapeThroughOtherLinks() throws IOException {
        Path archive = temp.resolve("chain.tar.gz");
        try (TarArchiveOutputStream tar = open(archive)) {
            addLink(tar, "d", ".");
            addLink(tar, "d2", "d/.."); // lexically the root itself; physically the root's parent
        }

        assertThatThrownBy(() -> new TreeExtractor(temp.resolve("target")).extract(archive, Hashing.sha256(archive), 1 << 20, 100))
                .isInstanceOf(BackupException.class).hasMessageContaining("passes through the symbolic link 'd'");
    }

    @Test
    void shouldExtractSafeArchive() throws IOException {
        Path archive = craft("dir/ok.txt", null);

        new TreeExtractor(temp.resolve("target")).extract(archive, Hashing.sha256(archive), 1 << 20, 100);

        assertThat(temp.resolve("target/dir/ok.txt")).hasContent("payload");
    }

    private Path craft(final String name, final String linkTarget) throws IOException {
        Path archive = temp.resolve("crafted.tar.gz");
        try (TarArchiveOutputStream tar = open(archive)) {
            if (linkTarget == null) {
                byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(name, true); // preserve leading '/' and '..'
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            else {
                addLink(tar, name, linkTarget);
            }
        }
        return archive;
    }

    private static TarArchiveOutputStream open(final Path archive) throws IOException {
        OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(archive));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return tar;
    }

    private static void addLink(final TarArchiveOutputStream tar, final String name, final String target)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
