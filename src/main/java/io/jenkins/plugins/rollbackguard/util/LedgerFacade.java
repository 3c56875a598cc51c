package io.jenkins.plugins.rollbackguard.util;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.jenkins.plugins.rollbackguard.config.GlobalLedgerWebhooks;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;

/**
 * Gives the glue the engine's {@link Ledger} of this controller, stored in
 * {@code JENKINS_HOME/rollback-guard/ledger}. Only the controller reads and writes it.
 */
public class LedgerFacade {
    private static final Logger LOGGER = Logger.getLogger(LedgerFacade.class.getName());

    /**
     * One open ledger per root directory: a ledger caches its journals, and each test Jenkins has its own home.
     */
    private static final Map<Path, Ledger> OPEN = new ConcurrentHashMap<>();

    private final RollbackGuardHome home;

    /** Creates the facade for the running Jenkins. */
    public LedgerFacade() {
        this(new RollbackGuardHome());
    }

    /**
     * Creates the facade for the ledger of a given home.
     *
     * @param home
     *         the plugin's directories
     */
    public LedgerFacade(final RollbackGuardHome home) {
        this.home = home;
    }

    /**
     * Returns the ledger, opening (and creating) it on first use. Its warnings go to the Jenkins log and its
     * events to the webhooks of the global configuration.
     *
     * @return the ledger of this controller
     * @throws io.jenkins.plugins.rollbackguard.engine.ledger.LedgerException
     *         if the ledger directory cannot be created
     */
    public Ledger getLedger() {
        Path root = home.getLedgerRoot().toAbsolutePath().normalize();
        return OPEN.computeIfAbsent(root, dir -> Ledger.open(dir, Ledger.Options.defaults()
                .withWarnings(LOGGER::warning)
                .withEvents(new GlobalLedgerWebhooks())));
    }
}
