package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import java.io.Serial;

/**
 * A duration or threshold text does not follow its grammar. The message names the policy field, the
 * text, the position (1-based) and what was expected there. Policy texts are not secrets, so they may be
 * quoted.
 */
public class SyntaxException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private final String field;
    private final int position;
    private final String expected;

    /**
     * Creates the exception.
     *
     * @param field
     *         the policy field (path) that holds the text, e.g. {@code probes[0].failIf}
     * @param text
     *         the text that failed to parse
     * @param position
     *         the 1-based position of the first character that could not be parsed
     * @param expected
     *         what the grammar expected there
     */
    public SyntaxException(final String field, final String text, final int position, final String expected) {
        super("%s: expected %s at position %d in '%s'".formatted(field, expected, position, text));
        this.field = field;
        this.position = position;
        this.expected = expected;
    }

    /**
     * Creates the exception for a text that parses but says something impossible.
     *
     * @param field
     *         the policy field (path) that holds the text
     * @param text
     *         the text
     * @param problem
     *         what is wrong and the fix
     */
    public SyntaxException(final String field, final String text, final String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.position = 1;
        this.expected = problem;
    }

    /** @return the policy field that holds the bad text */
    public String getField() {
        return field;
    }

    /** @return the 1-based position of the first character that could not be parsed */
    public int getPosition() {
        return position;
    }

    /** @return what the grammar expected at that position */
    public String getExpected() {
        return expected;
    }
}
