package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Ledger#salvage} did.
 *
 * @param environment
 *         the environment
 * @param points
 *         how many points the rebuilt ledger holds
 * @param records
 *         how many records were read
 * @param dropped
 *         the unreadable lines, as {@code file:line}
 * @param movedAside
 *         the damaged files, under their new names
 */
public record SalvageReport(EnvironmentName environment, int points, long records, List<String> dropped,
                            List<Path> movedAside) {
}
