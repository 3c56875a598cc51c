package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.Optional;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * The engine's {@link SecretSource} on the Credentials plugin: a secret name is a credentials id, looked up for the
 * build (so folder credentials and the build's authentication apply, and the use is tracked). Secret text gives its
 * text; a username/password credential gives its password.
 */
public class CredentialsSecretSource implements SecretSource {
    private final Run<?, ?> run;

    /**
     * Creates the source for a build.
     *
     * @param run
     *         the build the credentials are used by
     */
    public CredentialsSecretSource(final Run<?, ?> run) {
        this.run = run;
    }

    @Override
    public Optional<Secret> find(final String name) {
        StandardCredentials credentials = CredentialsProvider.findCredentialById(name, StandardCredentials.class, run);
        if (credentials instanceof StringCredentials text) {
            return Optional.of(Secret.of(text.getSecret().getPlainText()));
        }
        if (credentials instanceof StandardUsernamePasswordCredentials password) {
            return Optional.of(Secret.of(password.getPassword().getPlainText()));
        }
        return Optional.empty();
    }
}
