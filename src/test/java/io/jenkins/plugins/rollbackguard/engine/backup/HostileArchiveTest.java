package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.*;

/**
 * Restores crafted archives, and backups with a forged or unsealed manifest, into a target on a small tmpfs (8 MiB;
 * a plain directory where this user may not mount) and checks, by listing the file system and its parent before and
 * after, that nothing is created outside the target, whatever the archive or manifest holds.
 */
class HostileArchiveTest {
    private static final long RECORDED_BYTES = 4096;
    private static final int RECORDED_ENTRIES = 20;

    @TempDir
    private Path temp;

    private Path fs;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws IOException, InterruptedException {
        fs = Files.createDirectory(temp.resolve("fs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", fs.toString())
                .redirectErrorStream(true).start();
        mount.getInputStream().transferTo(OutputStream.nullOutputStream());
        mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted) {
            System.out.println("HostileArchiveTest: cannot mount a tmpfs here; using a plain directory");
        }
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        if (mounted) {
            new ProcessBuilder("umount", "-l", fs.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The hostile archives, each built by a writer of entries. */
    enum Crafted {
        CHAINED_LINKS("lies below the symbolic link 'w'", tar -> {
            link(tar, "x", ".");
            link(tar, "w", "x/..");
            link(tar, "w/y", "../escaped-dir");
            file(tar, "w/evil.txt", "written through links");
        }),
        DANGLING_LINK_ESCAPING_THROUGH_A_LINK("passes through the symbolic link 'x'", tar -> {
            link(tar, "x", ".");
            link(tar, "out", "x/../nowhere");
        }),
        FILE_BELOW_A_LINK("lies below the symbolic link 'l'", tar -> {
            directory(tar, "sub");
            link(tar, "l", "sub");
            file(tar, "l/f.txt", "through l");
        }),
        DOT_DOT_NAME("'../evil.txt'", tar -> file(tar, "../evil.txt", "escaped")),
        ABSOLUTE_NAME("absolute", tar -> file(tar, "/abs-evil.txt", "escaped")),
        ABSOLUTE_LINK("points outside the target", tar -> link(tar, "etc", "/etc")),
        HARD_LINK("hard links and devices", tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("passwd", TarConstants.LF_LINK);
            entry.setLinkName("../../../etc/passwd");
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }),
        DEVICE("hard links and devices", tar -> special(tar, "null", TarConstants.LF_CHR)),
        FIFO("hard links and devices", tar -> special(tar, "pipe", TarConstants.LF_FIFO)),
        BOMB("more than the 4096 bytes", tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("zeros.bin");
            entry.setSize(64L << 20); // 64 MiB of zeros, 64 KiB compressed: eight times the file system
            tar.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }),
        DUPLICATE("appears twice", tar -> {
            file(tar, "a.txt", "first");
            file(tar, "a.txt", "second");
        });

        private final String refusal;
        private final Writer writer;

        Crafted(final String refusal, final Writer writer) {
            this.refusal = refusal;
            this.writer = writer;
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Crafted.class)
    void shouldCreateNothingOutsideTheTarget(final Crafted crafted) throws IOException {
        Path archive = craft(crafted.writer);
        Path target = Files.createDirectory(fs.resolve("restore")).resolve("target"); // its parent is the caller's
        Map<String, String> before = listing(target);

        assertThatThrownBy(() -> new TreeExtractor(target).extract(archive, Hashing.sha256(archive), RECORDED_BYTES,
                RECORDED_ENTRIES)).isInstanceOf(BackupException.class).hasMessageContaining(crafted.refusal);

        assertThat(listing(target)).as("the tmpfs and its parent outside the target").isEqualTo(before);
        if (crafted != Crafted.DUPLICATE) {
            assertThat(target).as("refused before anything was written").doesNotExist();
        }
    }

    /** A forged manifest (its payload a file outside the backup) and an unsealed one, restored through the store. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"forged", "unsealed"})
    void shouldRestoreNothingFromAForgedOrUnsealedManifest(final String how) throws IOException {
        Path source = Files.createDirectories(temp.resolve("app"));
        Files.writeString(source.resolve("index.html"), "shop");
        Path outside = Files.writeString(temp.resolve("shadow"), "root:secret");
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take("prod", FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        Path dir = temp.resolve("store/prod").resolve(manifest.id());
        if ("forged".equals(how)) {
            String json = Files.readString(dir.resolve(BackupStore.MANIFEST));
            Files.writeString(dir.resolve(BackupStore.MANIFEST), json.replace("\"archive.tar.gz\"", "\"" + outside + "\""));
        }
        else {
            Files.delete(dir.resolve(ManifestSeal.SIGNATURE));
        }
        Path target = Files.createDirectory(fs.resolve("restore")).resolve("target");
        Map<String, String> before = listing(target);

        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.directory(target),
                TestContexts.create(Map.of()))).isInstanceOf(BackupException.class)
                .hasMessageContaining("forged".equals(how) ? "was changed after this store sealed it" : "has no seal");

        assertThat(listing(target)).isEqualTo(before);
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldCheckTheArchiveHashBeforeExpandingAnything() throws IOException {
        Path archive = craft(tar -> file(tar, "ok.txt", "fine"));
        Path target = fs.resolve("target");

        assertThatThrownBy(() -> new TreeExtractor(target).extract(archive, "0".repeat(64), RECORDED_BYTES,
                RECORDED_ENTRIES)).isInstanceOf(BackupException.class).hasMessageContaining("nothing was restored");
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldRestoreLinksThatObeyTheRule() throws IOException {
        Path archive = craft(tar -> {
            directory(tar, "lib");
            file(tar, "lib/libshop.so.1.2", "elf");
            link(tar, "lib/libshop.so.1", "libshop.so.1.2");
            link(tar, "lib/libshop.so", "libshop.so.1"); // a chain ending in a link is fine
            link(tar, "current", "lib/./");
            link(tar, "pid", "run/shop.pid"); // dangling, but inside
        });
        Path target = fs.resolve("target");

        new TreeExtractor(target).extract(archive, Hashing.sha256(archive), RECORDED_BYTES, RECORDED_ENTRIES);

        assertThat(target.resolve("lib/libshop.so")).hasContent("elf");
        assertThat(Files.readSymbolicLink(target.resolve("pid"))).isEqualTo(Path.of("run/shop.pid"));
        assertThat(Files.exists(target.resolve("pid"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void shouldRefuseAtBackupTimeATreeWhoseLinksCouldNotBeRestored() throws IOException {
        Path source = Files.createDirectories(temp.resolve("app"));
        Files.createDirectories(source.resolve("data"));
        Files.createSymbolicLink(source.resolve("here"), Path.of("."));
        Files.createSymbolicLink(source.resolve("data/up"), Path.of("../here/.."));
        BackupStore store = new BackupStore(temp.resolve("store"));

        assertThatThrownBy(() -> store.take("prod", FilesBackupSpec.of(source), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("symbolic link 'data/up' -> '../here/..' passes through the symbolic link 'here'")
                .hasMessageContaining("exclude the link");
        assertThat(store.list("prod")).isEmpty();
    }

    /** Everything in the file system and its parent that is not below the target, with its type. */
    private Map<String, String> listing(final Path target) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        for (Path top : List.of(fs, temp)) {
            try (Stream<Path> walk = Files.walk(top)) {
                walk.filter(path -> !path.startsWith(target) && !path.startsWith(temp.resolve("archive.tar.gz"))
                                && !path.startsWith(temp.resolve("store")))
                        .forEach(path -> entries.put(path.toString(), Files.isSymbolicLink(path) ? "link"
                                : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file"));
            }
        }
        entries.put("parent of the temp dir has escaped-dir", String.valueOf(Files.exists(temp.getParent()
                .resolve("escaped-dir"), LinkOption.NOFOLLOW_LINKS)));
        return entries;
    }

    private Path craft(final Writer writer) throws IOException {
        Path archive = temp.resolve("archive.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(Files.newOutputStream(archive)), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writer.write(tar);
        }
        return archive;
    }

    private static void file(final TarArchiveOutputStream tar, final String name, final String content)
            throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true); // keeps a leading '/' and '..'
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void directory(final TarArchiveOutputStream tar, final String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
        tar.closeArchiveEntry();
    }

    private static void link(final TarArchiveOutputStream tar, final String name, final String target)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void special(final TarArchiveOutputStream tar, final String name, final byte type)
            throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name, type));
        tar.closeArchiveEntry();
    }
}
