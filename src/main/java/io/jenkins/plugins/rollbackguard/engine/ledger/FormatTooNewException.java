package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.io.Serial;

/** A ledger line was written by a newer rollback-guard: never dropped as torn, always refused. */
class FormatTooNewException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    FormatTooNewException(final String message) {
        super(message);
    }
}
