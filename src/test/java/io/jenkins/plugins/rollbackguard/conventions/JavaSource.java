package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Java reader for the convention tests: comments and literals blanked out, class bodies found by
 * brace matching, and the declarations the conventions care about found by regular expressions. It reads source
 * text only and assumes the source compiles.
 */
final class JavaSource {
    private static final Pattern CLASS_DECLARATION = Pattern.compile(
            "(?<!\\.)\\b(?:class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");
    private static final Pattern DATA_BOUND_CONSTRUCTOR = Pattern.compile(
            "@DataBoundConstructor\\b[^{;]*?\\b([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)");
    private static final Pattern DATA_BOUND_SETTER_METHOD = Pattern.compile(
            "@DataBoundSetter\\b[^{;(]*?\\bset([A-Z][\\w$]*)\\s*\\(");
    private static final Pattern DATA_BOUND_SETTER_FIELD = Pattern.compile(
            "@DataBoundSetter\\b[^{;(]*?\\b([A-Za-z_$][\\w$]*)\\s*[;=]");
    private static final Pattern WEB_METHOD = Pattern.compile(
            "\\b([\\w$.<>\\[\\]?, ]+?)\\s+(do[A-Z][\\w$]*)\\s*\\([^;{]*\\)\\s*(?:throws\\s[^;{]+)?\\{");
    private static final Pattern ANNOTATION = Pattern.compile("@([\\w.]+)");
    private static final Pattern EXTENDS = Pattern.compile("^\\s*extends\\s+([A-Za-z_$][\\w$.]*)");

    private final String text;

    /**
     * Reads a source text.
     *
     * @param source
     *         the Java source
     */
    JavaSource(final String source) {
        this.text = blankCommentsAndLiterals(source);
    }

    /** @return the source with comments and string and character literals replaced by spaces */
    String code() {
        return text;
    }

    /**
     * Returns the body of a class, without the bodies of the classes nested in it.
     *
     * @param simpleName
     *         the class's simple name
     * @return the body, or empty if the source declares no such class
     */
    Optional<String> ownBody(final String simpleName) {
        Matcher declaration = CLASS_DECLARATION.matcher(text);
        while (declaration.find()) {
            if (declaration.group(1).equals(simpleName)) {
                int open = text.indexOf('{', declaration.end());
                int close = matchingBrace(open);
                return Optional.of(withoutNestedClasses(text.substring(open + 1, close)));
            }
        }
        return Optional.empty();
    }

    /** @return the simple names of the classes, interfaces, enums and records the source declares, in order */
    List<String> declaredTypes() {
        List<String> names = new ArrayList<>();
        Matcher declaration = CLASS_DECLARATION.matcher(text);
        while (declaration.find()) {
            names.add(declaration.group(1));
        }
        return names;
    }

    /**
     * Returns the header of a class: what stands between its name and its opening brace (type parameters,
     * {@code extends}, {@code implements}).
     *
     * @param simpleName
     *         the class's simple name
     * @return the header, or empty if the source declares no such class
     */
    Optional<String> header(final String simpleName) {
        Matcher declaration = CLASS_DECLARATION.matcher(text);
        while (declaration.find()) {
            if (declaration.group(1).equals(simpleName)) {
                return Optional.of(text.substring(declaration.end(), text.indexOf('{', declaration.end())));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the class a class extends, as written (simple or qualified name, without type arguments).
     *
     * @param simpleName
     *         the class's simple name
     * @return the superclass's name, or empty if the class extends nothing (or is not declared here)
     */
    Optional<String> superclass(final String simpleName) {
        Matcher declaration = CLASS_DECLARATION.matcher(text);
        while (declaration.find()) {
            if (declaration.group(1).equals(simpleName)) {
                String header = text.substring(declaration.end(), text.indexOf('{', declaration.end()));
                if (header.stripLeading().startsWith("<")) { // type parameters may say "extends" too
                    int open = header.indexOf('<');
                    int depth = 0;
                    int end = open;
                    do {
                        depth += header.charAt(end) == '<' ? 1 : header.charAt(end) == '>' ? -1 : 0;
                        end++;
                    } while (depth > 0 && end < header.length());
                    header = header.substring(end);
                }
                Matcher extendsClause = EXTENDS.matcher(header);
                return extendsClause.find() ? Optional.of(extendsClause.group(1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the qualified name a simple name is imported as.
     *
     * @param simpleName
     *         the simple name
     * @return the qualified name, or empty if no single-type import names it
     */
    Optional<String> importOf(final String simpleName) {
        Matcher found = Pattern.compile("\\bimport\\s+([\\w.]+\\." + Pattern.quote(simpleName) + ")\\s*;")
                .matcher(text);
        return found.find() ? Optional.of(found.group(1)) : Optional.empty();
    }

    /**
     * Lists the data-bound properties of a class: the parameters of its {@code @DataBoundConstructor} and its
     * {@code @DataBoundSetter} methods ({@code setFoo} gives {@code foo}) and fields.
     *
     * @param simpleName
     *         the class's simple name
     * @return the property names, in source order
     */
    Set<String> boundProperties(final String simpleName) {
        String body = ownBody(simpleName).orElse("");
        Set<String> properties = new LinkedHashSet<>();
        Matcher constructor = DATA_BOUND_CONSTRUCTOR.matcher(body);
        while (constructor.find()) {
            if (constructor.group(1).equals(simpleName)) {
                properties.addAll(parameterNames(constructor.group(2)));
            }
        }
        Matcher setter = DATA_BOUND_SETTER_METHOD.matcher(body);
        while (setter.find()) {
            String name = setter.group(1);
            properties.add(name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1));
        }
        Matcher field = DATA_BOUND_SETTER_FIELD.matcher(body);
        while (field.find()) {
            properties.add(field.group(1));
        }
        return properties;
    }

    /**
     * Lists the methods whose names start with {@code do} and a capital letter.
     *
     * @return the methods with their annotations, modifiers and bodies
     */
    List<WebMethod> webMethods() {
        List<WebMethod> methods = new ArrayList<>();
        Matcher method = WEB_METHOD.matcher(text);
        while (method.find()) {
            int start = previousMemberEnd(method.start());
            String header = text.substring(start, method.start(2));
            int open = method.end() - 1;
            String body = text.substring(open + 1, matchingBrace(open));
            methods.add(new WebMethod(method.group(2), annotations(header), header.contains("public "), body));
        }
        return methods;
    }

    /** A method named {@code doXxx} as the source declares it. */
    record WebMethod(String name, Set<String> annotations, boolean isPublic, String body) {
        boolean hasAnnotation(final String simpleName) {
            return annotations.stream().anyMatch(a -> a.equals(simpleName) || a.endsWith("." + simpleName));
        }
    }

    private static Set<String> annotations(final String header) {
        Set<String> names = new LinkedHashSet<>();
        Matcher annotation = ANNOTATION.matcher(header);
        while (annotation.find()) {
            names.add(annotation.group(1));
        }
        return names;
    }

    /** Walks back to the end of the previous member; braces inside annotation arguments do not count. */
    private int previousMemberEnd(final int from) {
        int parentheses = 0;
        for (int i = from - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')') {
                parentheses++;
            }
            else if (c == '(') {
                parentheses--;
            }
            else if (parentheses == 0 && (c == ';' || c == '{' || c == '}')) {
                return i + 1;
            }
        }
        return 0;
    }

    private static List<String> parameterNames(final String parameters) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : (parameters + ",").toCharArray()) {
            if (c == '<') {
                depth++;
            }
            else if (c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                String[] words = current.toString().trim().split("[\\s.]+");
                if (words.length > 0 && !words[words.length - 1].isEmpty()) {
                    names.add(words[words.length - 1]);
                }
                current.setLength(0);
            }
            else {
                current.append(c);
            }
        }
        return names;
    }

    private String withoutNestedClasses(final String body) {
        StringBuilder result = new StringBuilder(body);
        Matcher nested = CLASS_DECLARATION.matcher(body);
        int searchFrom = 0;
        while (nested.find(searchFrom)) {
            int open = body.indexOf('{', nested.end());
            if (open < 0) {
                break;
            }
            int close = matchingBrace(body, open);
            for (int i = open + 1; i < close; i++) {
                result.setCharAt(i, ' ');
            }
            searchFrom = close;
        }
        return result.toString();
    }

    private int matchingBrace(final int open) {
        return matchingBrace(text, open);
    }

    private static int matchingBrace(final String code, final int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            }
            else if (code.charAt(i) == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("Unbalanced braces from offset " + open);
    }

    /**
     * Blanks comments, string literals (text blocks included) and character literals, keeping line breaks and
     * offsets, so that braces and names inside them do not count.
     */
    static String blankCommentsAndLiterals(final String source) {
        StringBuilder out = new StringBuilder(source);
        int i = 0;
        while (i < source.length()) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? source.length() : end;
            }
            else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
            }
            else if (source.startsWith("\"\"\"", i)) {
                end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
            }
            else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                end = endOfLiteral(source, i);
            }
            else {
                i++;
                continue;
            }
            for (int j = i; j < end; j++) {
                if (out.charAt(j) != '\n') {
                    out.setCharAt(j, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }

    private static int endOfLiteral(final String source, final int start) {
        char quote = source.charAt(start);
        for (int i = start + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            }
            else if (c == quote || c == '\n') {
                return i + 1;
            }
        }
        return source.length();
    }
}
