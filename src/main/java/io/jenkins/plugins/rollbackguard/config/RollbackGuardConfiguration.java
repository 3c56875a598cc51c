package io.jenkins.plugins.rollbackguard.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;

import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * The global settings of Rollback Guard (Manage Jenkins, System; in Configuration as Code under
 * {@code unclassified: rollbackGuard:}): the defaults of guarded deploys, where backups go, which hosts the
 * "Test probe" button may reach, and the webhooks that hear about ledger events. Obtain it with {@link #get()}.
 *
 * <p>Every setter validates its value, throws an {@link InvalidSettingException} naming the field and the value,
 * and saves, so that Configuration as Code and scripts get the same checks as the form.</p>
 */
@Extension
@Symbol("rollbackGuard")
public class RollbackGuardConfiguration extends GlobalConfiguration {
    static final String DEFAULT_INTERVAL = "10s";
    static final String DEFAULT_WATCH = "5m";
    static final int DEFAULT_FAILURE_LIMIT = 0;
    static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    static final String DEFAULT_COOLDOWN = "15m";
    static final int DEFAULT_KEEP_GOOD = 5;

    private String interval = DEFAULT_INTERVAL;
    private String watch = DEFAULT_WATCH;
    private int failureLimit = DEFAULT_FAILURE_LIMIT;
    private int consecutiveErrorLimit = DEFAULT_CONSECUTIVE_ERROR_LIMIT;
    private String cooldown = DEFAULT_COOLDOWN;
    private int keepGood = DEFAULT_KEEP_GOOD;
    private String backupRoot = "";
    private String probeHostAllowlist = "";
    private List<WebhookTarget> webhooks = new ArrayList<>();

    /** Not persisted: a service object, set by the constructors (XStream keeps it when {@link #load()} runs). */
    private final transient JenkinsFacade jenkins;

    /** Creates the configuration and loads the saved values; Jenkins calls this once. */
    public RollbackGuardConfiguration() {
        this(new JenkinsFacade());
        load();
    }

    /**
     * Creates a configuration with defaults that is not loaded from disk; for tests.
     *
     * @param jenkins
     *         the facade that answers permission checks
     */
    RollbackGuardConfiguration(final JenkinsFacade jenkins) {
        super();
        this.jenkins = jenkins;
    }

    /** @return the configuration of the running Jenkins */
    public static RollbackGuardConfiguration get() {
        return ExtensionList.lookupSingleton(RollbackGuardConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.RollbackGuardConfiguration_DisplayName();
    }

    /**
     * Binds the submitted form and saves it once. An empty list of webhooks sends no JSON key at all, so the list is
     * cleared first. If a value is rejected, nothing is saved and the saved values are loaded again.
     *
     * @throws FormException
     *         if a value is rejected; it names the form field
     */
    @Override
    public boolean configure(final StaplerRequest2 req, final JSONObject json) throws FormException {
        try (BulkChange change = new BulkChange(this)) {
            webhooks = new ArrayList<>();
            req.bindJSON(this, json);
            change.commit();
        }
        catch (InvalidSettingException e) {
            load();
            throw new FormException(e.getMessage(), e, e.getField());
        }
        catch (IOException e) {
            throw new FormException(Messages.RollbackGuardConfiguration_SaveFailed(e.getMessage()), e, "");
        }
        return true;
    }

    /** @return the default time between two health samples, e.g. {@code 10s} */
    public String getInterval() {
        return interval;
    }

    /**
     * Sets the default time between two health samples.
     *
     * @param interval
     *         a duration such as {@code 10s} or {@code 250ms}
     */
    @DataBoundSetter
    public void setInterval(final String interval) {
        this.interval = requireDuration("interval", interval);
        save();
    }

    /** @return the default length of the health watch after a deploy, e.g. {@code 5m} */
    public String getWatch() {
        return watch;
    }

    /**
     * Sets the default length of the health watch after a deploy.
     *
     * @param watch
     *         a duration such as {@code 5m} or {@code 1h30m}
     */
    @DataBoundSetter
    public void setWatch(final String watch) {
        this.watch = requireDuration("watch", watch);
        save();
    }

    /** @return the default number of failed samples a watch tolerates; 0 tolerates none */
    public int getFailureLimit() {
        return failureLimit;
    }

    /**
     * Sets the default number of failed samples a watch tolerates.
     *
     * @param failureLimit
     *         0 or more; 0 tolerates none
     */
    @DataBoundSetter
    public void setFailureLimit(final int failureLimit) {
        Settings.require("failureLimit", Settings.checkAtLeast("failureLimit", failureLimit, 0));
        this.failureLimit = failureLimit;
        save();
    }

    /** @return the default number of probe errors in a row that fail a watch */
    public int getConsecutiveErrorLimit() {
        return consecutiveErrorLimit;
    }

    /**
     * Sets the default number of probe errors in a row that fail a watch.
     *
     * @param consecutiveErrorLimit
     *         1 or more
     */
    @DataBoundSetter
    public void setConsecutiveErrorLimit(final int consecutiveErrorLimit) {
        Settings.require("consecutiveErrorLimit",
                Settings.checkAtLeast("consecutiveErrorLimit", consecutiveErrorLimit, 1));
        this.consecutiveErrorLimit = consecutiveErrorLimit;
        save();
    }

    /** @return the default time an environment stays frozen after an automatic rollback, e.g. {@code 15m} */
    public String getCooldown() {
        return cooldown;
    }

    /**
     * Sets the default time an environment stays frozen after an automatic rollback.
     *
     * @param cooldown
     *         a duration such as {@code 15m}
     */
    @DataBoundSetter
    public void setCooldown(final String cooldown) {
        this.cooldown = requireDuration("cooldown", cooldown);
        save();
    }

    /** @return the default number of good rollback points (with their backups) kept per environment */
    public int getKeepGood() {
        return keepGood;
    }

    /**
     * Sets the default number of good rollback points (with their backups) kept per environment.
     *
     * @param keepGood
     *         1 or more
     */
    @DataBoundSetter
    public void setKeepGood(final int keepGood) {
        Settings.require("keepGood", Settings.checkAtLeast("keepGood", keepGood, 1));
        this.keepGood = keepGood;
        save();
    }

    /** @return the configured backup directory, or an empty string for the default */
    public String getBackupRoot() {
        return backupRoot;
    }

    /**
     * Sets the directory that holds backups.
     *
     * @param backupRoot
     *         an absolute path, or empty for {@code JENKINS_HOME/rollback-guard/backups}
     */
    @DataBoundSetter
    public void setBackupRoot(final String backupRoot) {
        String trimmed = backupRoot == null ? "" : backupRoot.trim();
        Settings.require("backupRoot", Settings.checkAbsolutePathOrEmpty("backupRoot", trimmed));
        this.backupRoot = trimmed;
        save();
    }

    /** @return the directory that holds backups: the configured one, or {@code JENKINS_HOME/rollback-guard/backups} */
    public Path getEffectiveBackupRoot() {
        if (backupRoot.isEmpty()) {
            return new RollbackGuardHome(jenkins).getDefaultBackupRoot();
        }
        return Path.of(backupRoot);
    }

    /** @return the host patterns the "Test probe" button may reach, one per line */
    public String getProbeHostAllowlist() {
        return probeHostAllowlist;
    }

    /**
     * Sets the host patterns the "Test probe" button may reach.
     *
     * @param probeHostAllowlist
     *         one pattern per line: a host name or IP address, optionally {@code *.domain} and {@code :port};
     *         blank lines are dropped
     */
    @DataBoundSetter
    public void setProbeHostAllowlist(final String probeHostAllowlist) {
        Settings.require("probeHostAllowlist",
                Settings.checkHostPatterns("probeHostAllowlist", probeHostAllowlist));
        this.probeHostAllowlist = String.join("\n", Settings.lines(probeHostAllowlist));
        save();
    }

    /** @return the host patterns the "Test probe" button may reach, one item per pattern */
    public List<String> getProbeHostPatterns() {
        return Settings.lines(probeHostAllowlist);
    }

    /** @return the webhooks that receive notifications, as a copy */
    public List<WebhookTarget> getWebhooks() {
        return new ArrayList<>(webhooks);
    }

    /**
     * Sets the webhooks that receive notifications.
     *
     * @param webhooks
     *         the webhooks; null means none
     */
    @DataBoundSetter
    public void setWebhooks(final List<WebhookTarget> webhooks) {
        this.webhooks = webhooks == null ? new ArrayList<>() : new ArrayList<>(webhooks);
        save();
    }

    /**
     * Checks the default sampling interval.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckInterval(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(Settings.checkDuration("interval", value));
    }

    /**
     * Checks the default watch length.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckWatch(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(Settings.checkDuration("watch", value));
    }

    /**
     * Checks the default cooldown.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckCooldown(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(Settings.checkDuration("cooldown", value));
    }

    /**
     * Checks the default failure limit.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckFailureLimit(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(checkNumber("failureLimit", value, 0));
    }

    /**
     * Checks the default limit of probe errors in a row.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckConsecutiveErrorLimit(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(checkNumber("consecutiveErrorLimit", value, 1));
    }

    /**
     * Checks the default number of good points kept.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckKeepGood(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(checkNumber("keepGood", value, 1));
    }

    /**
     * Checks the backup directory.
     *
     * @param value
     *         the value as entered
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckBackupRoot(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(Settings.checkAbsolutePathOrEmpty("backupRoot", value));
    }

    /**
     * Checks the host patterns of the "Test probe" button.
     *
     * @param value
     *         the patterns as entered, one per line
     * @return the result, or ok without permission to administer Jenkins
     */
    @POST
    public FormValidation doCheckProbeHostAllowlist(@QueryParameter final String value) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return toValidation(Settings.checkHostPatterns("probeHostAllowlist", value));
    }

    /**
     * Samples an HTTP or Prometheus probe once, for the "Test probe" button. Only administrators may use it, and
     * only towards hosts of the {@linkplain #getProbeHostAllowlist() allowlist}: the button makes the controller
     * send a request, so it must not become a way to reach internal services (SSRF). It never runs a command, sends
     * no credentials and follows no redirect for HTTP probes.
     *
     * @param testProbeKind
     *         {@code http} or {@code prometheus}
     * @param testProbeUrl
     *         the URL to sample
     * @param testProbeQuery
     *         the PromQL query of a Prometheus probe
     * @return the measurement, or why the probe was not sampled
     */
    @POST
    public FormValidation doTestProbe(@QueryParameter final String testProbeKind,
            @QueryParameter final String testProbeUrl, @QueryParameter final String testProbeQuery) {
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.error(Messages.RollbackGuardConfiguration_TestProbe_Forbidden());
        }
        if (!new ProbeHostAllowlist(getProbeHostPatterns()).allows(testProbeUrl)) {
            return FormValidation.error(Messages.RollbackGuardConfiguration_TestProbe_NotAllowed(testProbeUrl));
        }
        ProbeSpec spec;
        try {
            spec = testProbeSpec(testProbeKind, testProbeUrl.trim(), testProbeQuery);
        }
        catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
        return sample(spec);
    }

    /** Builds the probe of the test button: HTTP or Prometheus, never a command, no auth, no redirects. */
    static ProbeSpec testProbeSpec(final String kind, final String url, final String query) {
        if ("prometheus".equals(kind)) {
            return new PrometheusProbeSpec("test", url, query, null, null, "5s", null, null, null);
        }
        if (!"http".equals(kind)) {
            throw new IllegalArgumentException(Messages.RollbackGuardConfiguration_TestProbe_Kind(kind));
        }
        return new HttpProbeSpec("test", url, "GET", null, null, null, null, null, "3s", "5s", "never", 64 * 1024,
                null, null, null);
    }

    private static FormValidation sample(final ProbeSpec spec) {
        CommandRunner noCommands = request -> {
            throw new CommandException("the Test probe button never runs commands: " + request.describe());
        };
        Executor direct = Runnable::run;
        try (SystemScheduler scheduler = new SystemScheduler(1)) {
            Measurement measurement = new ProbeFactory(SecretSource.none(), noCommands, direct, scheduler)
                    .withoutRedirects().create(spec).sample();
            String result = Messages.RollbackGuardConfiguration_TestProbe_Result(measurement.describe());
            return switch (measurement.outcome()) { // a failing sample is no green "OK"
                case SUCCESS -> FormValidation.ok(result);
                case FAILURE, INCONCLUSIVE, NO_DATA -> FormValidation.warning(result);
                case ERROR -> FormValidation.error(result);
            };
        }
        catch (RuntimeException e) {
            return FormValidation.error(Messages.RollbackGuardConfiguration_TestProbe_Failed(e.getMessage()));
        }
    }

    static FormValidation toValidation(final Optional<String> error) {
        return error.map(FormValidation::error).orElse(FormValidation.ok());
    }

    private static Optional<String> checkNumber(final String field, final String value, final int minimum) {
        String trimmed = value == null ? "" : value.trim();
        try {
            return Settings.checkAtLeast(field, Integer.parseInt(trimmed), minimum);
        }
        catch (NumberFormatException e) {
            return Optional.of(Messages.Settings_Number_Invalid(field, trimmed));
        }
    }

    private static String requireDuration(final String field, final String value) {
        Settings.require(field, Settings.checkDuration(field, value));
        return value.trim();
    }
}
