package io.jenkins.plugins.rollbackguard.util;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.jenkins.plugins.rollbackguard.config.GlobalLedgerWebhooks;
import io.jenkins.plugins.rollbackguard.engine.ledger.BuildIndex;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;

/**
 * Gives the glue the engine's {@link Ledger} of this controller, stored in
 * {@code JENKINS_HOME/rollback-guard/ledger}. Only the controller reads and writes it.
 */
public class LedgerFacade {
    private static final Logger LOGGER = Logger.getLogger(LedgerFacade.class.getName());

    /**
     * One open ledger per root directory, with its index by build: a ledger caches its journals, and each test
     * Jenkins has its own home.
     */
    private static final Map<Path, Opened> OPEN = new ConcurrentHashMap<>();

    /** An open ledger and the index that observes it. */
    private record Opened(Ledger ledger, BuildIndex index) {
    }

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
     * events to the webhooks of the global configuration and to its {@link #getIndex() index by build}.
     *
     * @return the ledger of this controller
     * @throws io.jenkins.plugins.rollbackguard.engine.ledger.LedgerException
     *         if the ledger directory cannot be created
     */
    public Ledger getLedger() {
        return opened().ledger();
    }

    /**
     * Returns the in-memory index of the ledger's points by build: what every page asks (transient action
     * factories, side panels) without locking or reading ledger files.
     *
     * @return the index of this controller's ledger
     */
    public BuildIndex getIndex() {
        return opened().index();
    }

    private Opened opened() {
        Path root = home.getLedgerRoot().toAbsolutePath().normalize();
        return OPEN.computeIfAbsent(root, dir -> {
            BuildIndex index = new BuildIndex();
            GlobalLedgerWebhooks webhooks = new GlobalLedgerWebhooks();
            Ledger ledger = Ledger.open(dir, Ledger.Options.defaults()
                    .withWarnings(LOGGER::warning)
                    .withEvents(event -> {
                        index.accept(event); // first: a webhook that throws must not leave the index behind
                        webhooks.accept(event);
                    }));
            return new Opened(ledger, index.attach(ledger));
        });
    }

    /** Forgets every open ledger and index, when Jenkins stops; the next use opens them again. */
    public static void closeAll() {
        OPEN.clear();
    }
}
