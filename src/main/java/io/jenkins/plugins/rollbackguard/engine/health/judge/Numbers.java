package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers for the judges' rules, as a person reads them: no decimals from 100 on, else 3 significant digits. */
final class Numbers {
    private Numbers() {
    }

    static String number(final double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal decimal = BigDecimal.valueOf(value);
        decimal = Math.abs(value) >= 100 ? decimal.setScale(0, RoundingMode.HALF_UP)
                : decimal.round(new MathContext(3, RoundingMode.HALF_UP));
        return decimal.stripTrailingZeros().toPlainString();
    }

    static String percent(final double fraction) {
        return number(fraction * 100) + "%";
    }
}
