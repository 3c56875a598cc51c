package io.jenkins.plugins.rollbackguard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import hudson.ProxyConfiguration;
import hudson.security.ACL;

import io.jenkins.plugins.rollbackguard.engine.guard.LedgerWebhooks;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.jenkins.TimerScheduler;

/**
 * Posts every ledger event of this controller to the webhooks of the global configuration
 * ({@link RollbackGuardConfiguration#getWebhooks()}), whoever caused it: a guarded build, a reverting build,
 * a circuit reset on the job page. The webhooks and their credentials are read at each event, so a
 * configuration change applies to the next one. A webhook whose credential is missing is skipped with a
 * warning in the Jenkins log rather than called without its token. Requests go through Jenkins' proxy
 * configuration.
 */
public class GlobalLedgerWebhooks implements Consumer<LedgerEvent> {
    private static final Logger LOGGER = Logger.getLogger(GlobalLedgerWebhooks.class.getName());

    private volatile LedgerWebhooks sender; // built on the first event that a webhook wants

    @Override
    public void accept(final LedgerEvent event) {
        boolean wanted = RollbackGuardConfiguration.get().getWebhooks().stream()
                .anyMatch(webhook -> webhook.getEventTypes().contains(event.type()));
        if (wanted) {
            sender().accept(event);
        }
    }

    private LedgerWebhooks sender() {
        LedgerWebhooks current = sender;
        if (current == null) {
            synchronized (this) {
                if (sender == null) {
                    sender = new LedgerWebhooks(GlobalLedgerWebhooks::targets, ProxyConfiguration.newHttpClient(),
                            new TimerScheduler(), new LogListener());
                }
                current = sender;
            }
        }
        return current;
    }

    private static List<LedgerWebhooks.Target> targets() {
        List<LedgerWebhooks.Target> targets = new ArrayList<>();
        for (WebhookTarget webhook : RollbackGuardConfiguration.get().getWebhooks()) {
            Secret token = null;
            if (!webhook.getCredentialsId().isEmpty()) {
                StringCredentials credentials = CredentialsMatchers.firstOrNull(
                        CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, null, ACL.SYSTEM2,
                                URIRequirementBuilder.fromUri(webhook.getUrl()).build()),
                        CredentialsMatchers.withId(webhook.getCredentialsId()));
                if (credentials == null) {
                    LOGGER.log(Level.WARNING, "rollback-guard webhook {0}: secret-text credential ''{1}'' not found;"
                            + " not called", new Object[] {webhook.getUrl(), webhook.getCredentialsId()});
                    continue;
                }
                token = Secret.of(credentials.getSecret().getPlainText());
            }
            targets.add(new LedgerWebhooks.Target(webhook.getUrl(), token, webhook.getEventTypes()));
        }
        return targets;
    }

    /** Webhook deliveries are not part of any build: their failures go to the Jenkins log. */
    private static final class LogListener implements GuardListener {
        @Override
        public void info(final String line) {
            LOGGER.fine(line);
        }

        @Override
        public void error(final String line) {
            LOGGER.warning(line);
        }
    }
}
