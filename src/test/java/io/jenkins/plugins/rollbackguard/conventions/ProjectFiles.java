package io.jenkins.plugins.rollbackguard.conventions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Finds the project's source files as text, without loading any class: the convention tests run in the Central-only
 * build, where no Jenkins class is on the class path.
 */
final class ProjectFiles {
    /** Set by {@code cli/pom.xml} (surefire) to the project root. */
    static final String ROOT_PROPERTY = "rollbackguard.projectRoot";

    private final Path root;

    private ProjectFiles(final Path root) {
        this.root = root;
    }

    /** @return the files of this project, found through {@link #ROOT_PROPERTY} or by walking up from the working directory */
    static ProjectFiles locate() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new ProjectFiles(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("src/main/resources")) && Files.isDirectory(dir.resolve("cli"))) {
                return new ProjectFiles(dir);
            }
        }
        throw new IllegalStateException("No project root (a directory with src/main/resources and cli) above "
                + Path.of("").toAbsolutePath() + "; set -D" + ROOT_PROPERTY);
    }

    /**
     * Returns the files of a project at a given root, for tests of the conventions themselves.
     *
     * @param root
     *         the root
     * @return the files
     */
    static ProjectFiles at(final Path root) {
        return new ProjectFiles(root);
    }

    Path root() {
        return root;
    }

    Path mainJava() {
        return root.resolve("src/main/java");
    }

    Path mainResources() {
        return root.resolve("src/main/resources");
    }

    /**
     * Lists files below a directory whose names end with a suffix.
     *
     * @param dir
     *         the directory; a missing one has no files
     * @param suffix
     *         e.g. {@code .jelly}
     * @return the files, sorted
     */
    static List<Path> list(final Path dir, final String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /**
     * Reads a file as UTF-8 text.
     *
     * @param file
     *         the file
     * @return its text
     */
    static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * Names a file for messages: its path relative to the project root, with forward slashes.
     *
     * @param file
     *         a file below the root
     * @return the relative path
     */
    String name(final Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Runs a source check over every main source of the project.
     *
     * @param check
     *         the check: file name and source to problems
     * @return the problems of all main sources
     */
    static List<String> problemsInMainSources(final BiFunction<String, JavaSource, List<String>> check) {
        ProjectFiles project = locate();
        List<Path> sources = list(project.mainJava(), ".java");
        if (sources.isEmpty()) {
            throw new AssertionError("no main sources found below " + project.mainJava());
        }
        return sources.stream().flatMap(file -> check.apply(project.name(file), new JavaSource(read(file))).stream())
                .toList();
    }
}
