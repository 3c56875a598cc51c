package io.jenkins.plugins.rollbackguard.conventions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of docs/*.md and README.md, as the docs tests read them. A block's info string is its
 * language and then its marks ({@code ```yaml policy}, {@code ```text error}); docs/policy.md ("Examples that are
 * tested") says what each mark promises and which test keeps the promise.
 */
public final class DocBlocks {
    /** A whole policy file: read by the real reader and valid by the schema. */
    public static final String POLICY = "policy";
    /** Messages the tools print, one a line: each produced by a test. */
    public static final String ERROR = "error";

    private static final Pattern FENCE = Pattern.compile("^( {0,12})(`{3,}|~{3,})\\s*([^`]*)$");

    private DocBlocks() {
    }

    /**
     * One fenced block.
     *
     * @param file
     *         the Markdown file, relative to the project root
     * @param line
     *         the line of the opening fence, from 1
     * @param info
     *         the words after the fence: the language, then the marks
     * @param text
     *         the content, without the fence's indentation, each line ending in a newline
     */
    public record Block(String file, int line, List<String> info, String text) {
        /** @return the language, or "" */
        public String language() {
            return info.isEmpty() ? "" : info.get(0);
        }

        /** @return the marks: the words after the language */
        public List<String> marks() {
            return info.size() < 2 ? List.of() : info.subList(1, info.size());
        }

        /** @return whether the block carries the mark */
        public boolean marked(final String mark) {
            return marks().contains(mark);
        }

        /** @return file:line, for messages */
        public String where() {
            return file + ":" + line;
        }
    }

    /** @return the Markdown files the docs tests read: docs/*.md and README.md, relative to the root */
    public static List<Path> files(final Path root) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isRegularFile(root.resolve("README.md"))) {
            files.add(root.resolve("README.md"));
        }
        return files;
    }

    /** @return the fenced blocks of docs/*.md and README.md, in file order */
    public static List<Block> of(final Path root) {
        List<Block> blocks = new ArrayList<>();
        for (Path file : files(root)) {
            try {
                blocks.addAll(parse(root.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blocks;
    }

    /**
     * Finds the fenced blocks of one Markdown text: a fence of three or more backticks or tildes opens a block, the
     * same fence (as long or longer, nothing after it) closes it; a fence indented inside a list item strips that
     * indentation from its lines.
     *
     * @param file
     *         the file's name, for {@link Block#where()}
     * @param markdown
     *         the text
     * @return the blocks
     */
    public static List<Block> parse(final String file, final String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            List<String> info = open.group(3).isBlank() ? List.of() : Arrays.asList(open.group(3).strip().split("\\s+"));
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length; j++) {
                String stripped = lines[j].strip();
                if (stripped.startsWith(fence.substring(0, 3)) && stripped.chars().allMatch(c -> c == fence.charAt(0))
                        && stripped.length() >= fence.length()) {
                    break;
                }
                String line = lines[j];
                int cut = 0;
                while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') {
                    cut++;
                }
                text.append(line.substring(cut)).append('\n');
            }
            blocks.add(new Block(file, i + 1, List.copyOf(info), text.toString()));
            i = j;
        }
        return blocks;
    }
}
