package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;

/**
 * What preflight does beyond the static checks (docs/policy.md, {@code preflight}).
 *
 * @param reach
 *         whether each HTTP and Prometheus probe is reached once before anything is recorded (default true); false
 *         for the hotfix of a service that is down already, whose probes cannot answer before the fix is deployed
 */
public record PreflightSpec(Boolean reach) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** @return whether the probes are reached (true unless set to false) */
    public boolean reaches() {
        return reach == null || reach;
    }
}
