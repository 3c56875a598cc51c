package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts a build log can show, read from source, and the check that an expected log text is one of them: what
 * {@link ITestLogTextsConventionTest} needs. A text is a template: its fixed characters, and placeholders where a
 * value goes (a format specifier, a message argument, an operand concatenated in Java, a Groovy {@code ${...}}).
 */
final class LogTexts {
    /** A placeholder for a value without whitespace: {@code %s}, {@code {0}}, a Groovy {@code ${...}}. */
    static final char WORD = '\uE000';
    /** A placeholder for a number: {@code %d}, {@code %.1f}. */
    static final char NUMBER = '\uE001';
    /** Where a value is concatenated between two literals; in a template it stands for a {@link #WORD}. */
    static final char ANY = '\uE002';

    private static final Pattern FORMAT = Pattern.compile("%(?:\\d+\\$)?[-#+ 0,(]*\\d*(?:\\.\\d+)?([a-zA-Z%])");
    private static final Pattern MESSAGE_ARGUMENT = Pattern.compile("\\{\\d+(?:,[^}]*)?}");
    /**
     * A value in a test's script: a Groovy {@code ${...}} or {@code $name}, a shell's {@code $(...)}, a Groovy
     * concatenation {@code ' + env.BUILD_NUMBER + '}.
     */
    private static final Pattern GROOVY_VALUE = Pattern.compile(
            "\\$\\([^)]*\\)|\\$\\{[^}]*}|\\$[A-Za-z_][\\w.]*|(['\"])\\s*\\+\\s*[\\w.()]+\\s*\\+\\s*\\1");

    private LogTexts() {
    }

    /**
     * A string literal of a Java source, or several joined by {@code +}.
     *
     * @param start
     *         the offset of its first character (the opening quote)
     * @param end
     *         the offset after its last one
     * @param text
     *         its value, with {@link #ANY} where a non-literal operand stands between two literals
     */
    record Literal(int start, int end, String text) {
    }

    /**
     * Reads the string literals of a Java source (text blocks too), each concatenation joined into one literal.
     *
     * @param source
     *         the Java source
     * @return the literals, in order
     */
    static List<Literal> literals(final String source) {
        List<Literal> single = singleLiterals(source);
        List<Literal> joined = new ArrayList<>();
        for (Literal literal : single) {
            if (!joined.isEmpty()) {
                Literal last = joined.get(joined.size() - 1);
                String between = source.substring(last.end(), literal.start()).replaceAll("(?s)/\\*.*?\\*/|//[^\n]*", "");
                String operator = between.strip();
                if (operator.equals("+")) {
                    joined.set(joined.size() - 1, new Literal(last.start(), literal.end(), last.text() + literal.text()));
                    continue;
                }
                if ((operator.startsWith("+") || operator.endsWith("+")) && isOperand(operator)) {
                    joined.set(joined.size() - 1, new Literal(last.start(), literal.end(),
                            last.text() + ANY + literal.text()));
                    continue;
                }
            }
            joined.add(literal);
        }
        return joined;
    }

    /** Whether the code between two literals is one expression of a concatenation: no statement, block or argument ends. */
    private static boolean isOperand(final String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == ';' || c == '{' || c == '}' || c == ',' && depth <= 0) {
                return false;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        return true;
    }

    /**
     * Reads the string literals of a Java source one by one, without joining concatenations.
     *
     * @param source
     *         the Java source
     * @return the literals, in order
     */
    static List<Literal> singleLiterals(final String source) {
        List<Literal> literals = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                int eol = source.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            }
            else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int close = source.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            }
            else if (c == '\'') {
                i = skipCharLiteral(source, i);
            }
            else if (source.startsWith("\"\"\"", i)) {
                int close = source.indexOf("\"\"\"", i + 3);
                while (close > 0 && source.charAt(close - 1) == '\\') {
                    close = source.indexOf("\"\"\"", close + 1);
                }
                int end = close < 0 ? n : close + 3;
                literals.add(new Literal(i, end, textBlock(source.substring(source.indexOf('\n', i) + 1,
                        close < 0 ? n : close))));
                i = end;
            }
            else if (c == '"') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < n && source.charAt(j) != '"' && source.charAt(j) != '\n') {
                    j = unescape(source, j, value);
                }
                literals.add(new Literal(i, j + 1, value.toString()));
                i = j + 1;
            }
            else {
                i++;
            }
        }
        return literals;
    }

    private static int skipCharLiteral(final String source, final int at) {
        int j = at + 1;
        while (j < source.length() && source.charAt(j) != '\'' && source.charAt(j) != '\n') {
            j += source.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }

    /** Reads one character of a literal at an offset, escapes decoded; returns the offset after it. */
    private static int unescape(final String source, final int at, final StringBuilder value) {
        char c = source.charAt(at);
        if (c != '\\' || at + 1 >= source.length()) {
            value.append(c);
            return at + 1;
        }
        char e = source.charAt(at + 1);
        switch (e) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 's' -> value.append(' ');
            case 'r', '\n' -> { } // a text block's line continuation, or a carriage return
            case 'u' -> {
                int hex = at + 2;
                while (hex < source.length() && source.charAt(hex) == 'u') {
                    hex++;
                }
                value.append((char) Integer.parseInt(source.substring(hex, hex + 4), 16));
                return hex + 4;
            }
            default -> value.append(e);
        }
        return at + 2;
    }

    /** A text block's value: the indentation its lines share removed, escapes decoded. */
    private static String textBlock(final String raw) {
        String[] lines = raw.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        String last = lines[lines.length - 1];
        if (last.isBlank()) { // the closing delimiter's own line counts for the indentation
            indent = Math.min(indent, last.length());
        }
        StringBuilder value = new StringBuilder();
        for (int k = 0; k < lines.length; k++) {
            String line = lines[k].length() >= indent ? lines[k].substring(indent) : lines[k].strip();
            StringBuilder decoded = new StringBuilder();
            for (int j = 0; j < line.length(); ) {
                j = unescape(line, j, decoded);
            }
            value.append(decoded.toString().stripTrailing());
            if (k < lines.length - 1 && !line.endsWith("\\")) {
                value.append('\n');
            }
        }
        return value.toString();
    }

    /**
     * Turns a Java string into a template: format specifiers become placeholders, and so does an operand concatenated
     * between two literals (for a value without whitespace: one that may hold any would let a changed text pass).
     *
     * @param text
     *         a Java string's value
     * @return the template
     */
    static String javaTemplate(final String text) {
        Matcher specifier = FORMAT.matcher(text);
        StringBuilder template = new StringBuilder();
        while (specifier.find()) {
            String conversion = specifier.group(1);
            String replacement = switch (conversion) {
                case "%" -> "%";
                case "n" -> "\n";
                case "d", "f", "x", "e", "g" -> String.valueOf(NUMBER);
                default -> String.valueOf(WORD);
            };
            specifier.appendReplacement(template, Matcher.quoteReplacement(replacement));
        }
        specifier.appendTail(template);
        return template.toString().replace(ANY, WORD);
    }

    /**
     * Turns the values of a {@code Messages.properties} into templates: arguments become placeholders, a doubled
     * apostrophe one.
     *
     * @param messages
     *         the properties
     * @return the templates
     */
    static List<String> messageTemplates(final Properties messages) {
        List<String> templates = new ArrayList<>();
        for (String key : messages.stringPropertyNames()) {
            templates.add(MESSAGE_ARGUMENT.matcher(messages.getProperty(key).replace("''", "'"))
                    .replaceAll(Matcher.quoteReplacement(String.valueOf(WORD))));
        }
        return templates;
    }

    /**
     * Reads the texts of a Jelly view as templates: the text between its tags, each expression a placeholder.
     *
     * @param jelly
     *         the view
     * @return its texts
     */
    static List<String> viewTemplates(final String jelly) {
        List<String> templates = new ArrayList<>();
        for (String text : jelly.replaceAll("(?s)<!--.*?-->", "").split("<[^>]*>")) {
            if (!text.isBlank()) {
                templates.add(Pattern.compile("\\$\\{[^}]*}").matcher(text.strip().replace("&amp;", "&")
                        .replace("&lt;", "<").replace("&gt;", ">")).replaceAll(Matcher.quoteReplacement(
                        String.valueOf(WORD))));
            }
        }
        return templates;
    }

    /**
     * Turns a test's string (a Pipeline script) into a template: its format specifiers and its script's values
     * become placeholders.
     *
     * @param text
     *         the test's string
     * @return the template
     */
    static String scriptTemplate(final String text) {
        return GROOVY_VALUE.matcher(javaTemplate(text)).replaceAll(Matcher.quoteReplacement(String.valueOf(WORD)));
    }

    /**
     * Tells whether an expected text can be part of a line printed from a template: some rendering of the template,
     * with a value before and after it (an operand may be concatenated), contains the text, and enough of the text
     * is the template's own characters rather than its values (at least 3, and half).
     *
     * @param expected
     *         the expected text (no placeholders)
     * @param template
     *         the template
     * @return whether the text can come from the template
     */
    static boolean canPrint(final String expected, final String template) {
        int needed = Math.max(Math.min(expected.length(), 3), (expected.length() + 1) / 2);
        return fixedCharacters(expected, WORD + template + WORD) >= needed;
    }

    /**
     * The most characters of a text the template's fixed characters can match, over every alignment in which the
     * text is a substring of a rendering of the template; negative when there is none.
     */
    private static int fixedCharacters(final String text, final String template) {
        int m = template.length();
        int[] best = new int[m + 1];
        java.util.Arrays.fill(best, 0); // the text may start anywhere in the template
        close(best, template);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int[] next = new int[m + 1];
            java.util.Arrays.fill(next, Integer.MIN_VALUE);
            for (int j = 0; j < m; j++) {
                if (best[j] == Integer.MIN_VALUE) {
                    continue;
                }
                char t = template.charAt(j);
                if (isPlaceholder(t)) {
                    if (matches(t, c)) {
                        next[j] = Math.max(next[j], best[j]);
                    }
                }
                else if (t == c) {
                    next[j + 1] = Math.max(next[j + 1], best[j] + 1);
                }
            }
            close(next, template);
            best = next;
        }
        int most = Integer.MIN_VALUE;
        for (int score : best) {
            most = Math.max(most, score);
        }
        return most;
    }

    /** A placeholder may stand for nothing: whoever reached it may go past it. */
    private static void close(final int[] best, final String template) {
        for (int j = 0; j < template.length(); j++) {
            if (isPlaceholder(template.charAt(j)) && best[j] != Integer.MIN_VALUE) {
                best[j + 1] = Math.max(best[j + 1], best[j]);
            }
        }
    }

    private static boolean isPlaceholder(final char c) {
        return c == WORD || c == NUMBER || c == ANY;
    }

    private static boolean matches(final char placeholder, final char c) {
        return switch (placeholder) {
            case WORD -> !Character.isWhitespace(c);
            case NUMBER -> Character.isDigit(c) || c == '-' || c == '.' || c == ',';
            default -> true;
        };
    }

    /**
     * Keeps the templates that share a piece of four characters with a text: the only ones that may print it.
     *
     * @param expected
     *         the text
     * @param templates
     *         all templates
     * @return the candidates
     */
    static List<String> candidates(final String expected, final List<String> templates) {
        Set<String> grams = new HashSet<>();
        int size = Math.min(4, expected.length());
        for (int i = 0; i + size <= expected.length(); i++) {
            grams.add(expected.substring(i, i + size));
        }
        List<String> found = new ArrayList<>();
        for (String template : templates) {
            for (String gram : grams) {
                if (template.contains(gram)) {
                    found.add(template);
                    break;
                }
            }
        }
        return found;
    }
}
