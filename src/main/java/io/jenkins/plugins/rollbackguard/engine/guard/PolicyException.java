package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/**
 * A policy file could not be read; the message names the file, the field's path and what is wrong. The
 * {@link #kind()} says which stage of {@link PolicyReader} refused it, so a caller (the schema's tests, an editor's
 * integration) need not sort the messages by their words.
 */
public class PolicyException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 2L; // the kind and the field were added

    /** Which stage refused the policy. */
    public enum Kind {
        /**
         * The text is not a policy document: the file, its size or encoding, YAML or JSON syntax, duplicate keys,
         * tags, anchors, aliases, nesting depth, nothing in it.
         */
        TEXT(false),
        /** A field the model does not have. */
        UNKNOWN_FIELD(true),
        /** A {@code type} of a probe or backup the model does not have, or none given. */
        UNKNOWN_TYPE(true),
        /** A value of the wrong type: a list for a text, a word for a number, a number for a boolean. */
        WRONG_TYPE(true),
        /** A word outside a field's set of values ({@code onTrip: explode}). */
        BAD_ENUM(true),
        /** A required field absent or empty ({@code ~}). */
        MISSING_FIELD(true),
        /**
         * A value of the right type that the model refuses: a threshold or duration that does not parse, a number
         * out of range, a URL, a secret name, two probes of one name.
         */
        VALUE(false);

        private final boolean structural;

        Kind(final boolean structural) {
            this.structural = structural;
        }

        /** @return whether the policy's structure is wrong (what a schema of the model says too) */
        public boolean structural() {
            return structural;
        }
    }

    private final Kind kind;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param message
     *         the file, the field's path and the problem
     * @param cause
     *         the parser's exception
     */
    public PolicyException(final String message, final Throwable cause) {
        this(message, cause, Kind.TEXT, null);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         the file, the field's path and the problem
     * @param cause
     *         the parser's exception
     * @param kind
     *         the stage that refused the policy
     * @param field
     *         the path of the field refused ({@code probes[1].failIf}), or null if none
     */
    public PolicyException(final String message, final Throwable cause, final Kind kind, final String field) {
        super(message, cause);
        this.kind = kind;
        this.field = field;
    }

    /** @return the stage that refused the policy */
    public Kind kind() {
        return kind;
    }

    /** @return the path of the field refused ({@code probes[1].failIf}), or null if the refusal is of the text */
    public String field() {
        return field;
    }
}
