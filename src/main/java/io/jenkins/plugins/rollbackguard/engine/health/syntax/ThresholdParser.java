package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Condition.Operator;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Condition.Unit;

/**
 * Parses the threshold language into a {@link Condition} tree by recursive descent. Grammar:
 * <pre>
 * expr    := and ('or' and)*
 * and     := atom ('and' atom)*
 * atom    := '(' expr ')' | 'between' number 'and' number | ('drop' | 'rise') op amount | op number
 * op      := '&gt;' | '&gt;=' | '&lt;' | '&lt;=' | '==' | '!='
 * number  := '-'? digits ('.' digits)? '%'?          (5% is 0.05)
 * amount  := digits ('.' digits)? ('%' | 'pp')?     (relative percent, percentage points, or absolute)
 * </pre>
 * Keywords are case-insensitive. Examples: {@code > 5%}, {@code <= 800}, {@code between 200 and 299},
 * {@code drop > 20%}, {@code drop > 5pp}, {@code rise > 50% or > 2000}.
 */
public final class ThresholdParser {
    private static final int MAX_DEPTH = 16;
    private static final int MAX_NUMBER_LENGTH = 18;
    private static final String EXPECTED_ATOM = "a comparison (> >= < <= == !=), 'between', 'drop', 'rise' or '('";

    private final String field;
    private final String text;
    private int pos;
    private int depth;
    private boolean percentLiteral;

    private ThresholdParser(final String field, final String text) {
        this.field = field;
        this.text = text;
    }

    /**
     * Parses a threshold.
     *
     * @param field
     *         the policy field (path), named in error messages, e.g. {@code probes[0].failIf}
     * @param text
     *         the threshold text
     * @return the condition tree
     * @throws SyntaxException
     *         if the text does not follow the grammar (the message names field, text, position and what
     *         was expected)
     */
    public static Condition parse(final String field, final String text) {
        if (text == null) {
            throw new SyntaxException(field, "", 1, EXPECTED_ATOM);
        }
        ThresholdParser parser = new ThresholdParser(field, text);
        Condition condition = parser.expression();
        parser.skipBlanks();
        if (parser.pos < text.length()) {
            throw parser.error("'and', 'or' or the end of the threshold");
        }
        return condition;
    }

    /**
     * Tells whether a threshold compares the value itself with a percentage ({@code > 5%}, {@code between 1% and 2%}),
     * as opposed to a change from the baseline ({@code rise > 50%}): such a threshold only makes sense for a ratio.
     *
     * @param text
     *         a threshold that parses
     * @return whether it holds a percent literal outside 'drop' and 'rise'
     */
    public static boolean comparesPercent(final String text) {
        ThresholdParser parser = new ThresholdParser("threshold", text);
        parser.expression();
        return parser.percentLiteral;
    }

    private Condition expression() {
        Condition left = conjunction();
        while (keyword("or")) {
            left = new Condition.Or(left, conjunction());
        }
        return left;
    }

    private Condition conjunction() {
        Condition left = atom();
        while (keyword("and")) {
            left = new Condition.And(left, atom());
        }
        return left;
    }

    private Condition atom() {
        skipBlanks();
        if (accept("(")) {
            return parenthesised();
        }
        if (keyword("between")) {
            double low = number();
            if (!keyword("and")) {
                throw error("'and'");
            }
            double high = number();
            if (low > high) { // 'between 299 and 200' would hold for no value: a silent never-trip
                throw new SyntaxException(field, text, ("'%s' is an empty range (its first number is larger than its second);"
                        + " write the smaller number first").formatted(text.strip()));
            }
            return new Condition.Between(low, high);
        }
        if (keyword("drop") || keyword("rise")) {
            boolean rise = text.regionMatches(true, pos - 4, "rise", 0, 4);
            Operator operator = operator();
            return change(rise, operator);
        }
        if (atOperator()) {
            Operator operator = operator();
            return new Condition.Comparison(operator, number());
        }
        throw error(EXPECTED_ATOM);
    }

    private Condition parenthesised() {
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " nested parentheses");
        }
        Condition inner = expression();
        skipBlanks();
        if (!accept(")")) {
            throw error("')'");
        }
        depth--;
        return inner;
    }

    private Condition change(final boolean rise, final Operator operator) {
        skipBlanks();
        int start = pos;
        double amount = unsignedNumber();
        if (accept("%")) {
            return new Condition.Change(rise, operator, amount / 100, Unit.PERCENT);
        }
        if (text.regionMatches(true, pos, "pp", 0, 2)) {
            pos += 2;
            return new Condition.Change(rise, operator, amount / 100, Unit.POINTS);
        }
        if (pos == start) {
            throw error("an amount");
        }
        return new Condition.Change(rise, operator, amount, Unit.ABSOLUTE);
    }

    private double number() {
        skipBlanks();
        boolean negative = accept("-");
        double value = unsignedNumber();
        if (accept("%")) {
            value = value / 100;
            percentLiteral = true;
        }
        return negative ? -value : value;
    }

    private double unsignedNumber() {
        int start = pos;
        digits();
        if (pos > start && accept(".")) {
            int fraction = pos;
            digits();
            if (pos == fraction) {
                throw error("a digit after '.'");
            }
        }
        if (pos == start) {
            throw error("a number");
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            pos = start;
            throw error("a number of at most " + MAX_NUMBER_LENGTH + " characters");
        }
        return Double.parseDouble(text.substring(start, pos));
    }

    private void digits() {
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
    }

    private boolean atOperator() {
        return pos < text.length() && "<>=!".indexOf(text.charAt(pos)) >= 0;
    }

    private Operator operator() {
        skipBlanks();
        for (String symbol : new String[] {">=", "<=", "==", "!=", ">", "<"}) {
            if (accept(symbol)) {
                return switch (symbol) {
                    case ">=" -> Operator.GE;
                    case "<=" -> Operator.LE;
                    case "==" -> Operator.EQ;
                    case "!=" -> Operator.NE;
                    case ">" -> Operator.GT;
                    default -> Operator.LT;
                };
            }
        }
        throw error("an operator (> >= < <= == !=)");
    }

    private boolean keyword(final String word) {
        skipBlanks();
        int end = pos + word.length();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean accept(final String symbol) {
        if (text.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        return false;
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SyntaxException error(final String expected) {
        return new SyntaxException(field, text, pos + 1, expected);
    }
}
