package io.jenkins.plugins.rollbackguard.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * The global settings of Rollback Guard (Manage Jenkins, System; in Configuration as Code under
 * {@code unclassified: rollbackGuard:}): the defaults of guarded deploys, where backups go, which hosts the
 * "Test probe" button may reach, and the webhooks that hear about ledger events. Obtain it with {@link #get()}.
 *
 * <p>The defaults start at the engine's values and are checked by the engine's rules
 * ({@link AnalysisDefaults}, {@link PolicyDefaults}), so a global default is refused with the words a policy file
 * would get. Every setter checks its value, throws an {@link InvalidSettingException} naming the field and the
 * value, and saves, so that Configuration as Code and scripts get the same checks as the form.</p>
 */
@Extension
@Symbol("rollbackGuard")
public class RollbackGuardConfiguration extends GlobalConfiguration {
    private String interval = AnalysisDefaults.engine().interval();
    private String watch = AnalysisDefaults.engine().duration();
    private int failureLimit = AnalysisDefaults.engine().failureLimit();
    private int consecutiveErrorLimit = AnalysisDefaults.engine().consecutiveErrorLimit();
    private String cooldown = PolicyDefaults.cooldown();
    private int keepGood = PolicyDefaults.keepGood();
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

    /** @param jenkins the facade that answers permission checks (a configuration not loaded from disk, for tests) */
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

    /** Binds the form and saves once (webhooks cleared first: none sends no key); a rejected value saves nothing. */
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

    /** @return the defaults for what a policy and its probes (inline, form or file) leave unset; the engine's rule */
    public HostDefaults hostDefaults() {
        return new HostDefaults(new AnalysisDefaults("Jenkins global configuration", interval, watch, failureLimit,
                consecutiveErrorLimit), cooldown, keepGood);
    }

    /** @return the default time between two health samples, e.g. {@code 10s} */
    public String getInterval() {
        return interval;
    }

    /** @param interval the default time between two health samples, a duration such as {@code 10s} */
    @DataBoundSetter
    public void setInterval(final String interval) {
        this.interval = GlobalChecks.require("interval", interval);
        save();
    }

    /** @return the default length of the health watch after a deploy, e.g. {@code 5m} */
    public String getWatch() {
        return watch;
    }

    /** @param watch the default length of the health watch after a deploy, a duration such as {@code 5m} */
    @DataBoundSetter
    public void setWatch(final String watch) {
        this.watch = GlobalChecks.require("watch", watch);
        save();
    }

    /** @return the default number of failed samples a watch tolerates; 0 tolerates none */
    public int getFailureLimit() {
        return failureLimit;
    }

    /** @param failureLimit the default number of failed samples a watch tolerates, 0 or more */
    @DataBoundSetter
    public void setFailureLimit(final int failureLimit) {
        GlobalChecks.require("failureLimit", failureLimit);
        this.failureLimit = failureLimit;
        save();
    }

    /** @return the default number of probe errors in a row tolerated */
    public int getConsecutiveErrorLimit() {
        return consecutiveErrorLimit;
    }

    /** @param consecutiveErrorLimit the default number of probe errors in a row tolerated, 0 or more */
    @DataBoundSetter
    public void setConsecutiveErrorLimit(final int consecutiveErrorLimit) {
        GlobalChecks.require("consecutiveErrorLimit", consecutiveErrorLimit);
        this.consecutiveErrorLimit = consecutiveErrorLimit;
        save();
    }

    /** @return the default time an environment stays frozen after an automatic rollback, e.g. {@code 15m} */
    public String getCooldown() {
        return cooldown;
    }

    /** @param cooldown the default time an environment stays frozen after an automatic rollback, e.g. {@code 15m} */
    @DataBoundSetter
    public void setCooldown(final String cooldown) {
        this.cooldown = GlobalChecks.require("cooldown", cooldown);
        save();
    }

    /** @return the default number of good rollback points (with their backups) kept per environment */
    public int getKeepGood() {
        return keepGood;
    }

    /** @param keepGood the default number of good rollback points kept per environment, 1 or more */
    @DataBoundSetter
    public void setKeepGood(final int keepGood) {
        GlobalChecks.require("keepGood", keepGood);
        this.keepGood = keepGood;
        save();
    }

    /** @return the configured backup directory, or an empty string for the default */
    public String getBackupRoot() {
        return backupRoot;
    }

    /** @param backupRoot an absolute path, or empty for {@code JENKINS_HOME/rollback-guard/backups} */
    @DataBoundSetter
    public void setBackupRoot(final String backupRoot) {
        this.backupRoot = GlobalChecks.require("backupRoot", backupRoot);
        save();
    }

    /** @return the directory that holds backups: the configured one, or {@code JENKINS_HOME/rollback-guard/backups} */
    public Path getEffectiveBackupRoot() {
        return backupRoot.isEmpty() ? new RollbackGuardHome(jenkins).getDefaultBackupRoot() : Path.of(backupRoot);
    }

    /** @return the host patterns the "Test probe" button may reach, one per line */
    public String getProbeHostAllowlist() {
        return probeHostAllowlist;
    }

    /** @param probeHostAllowlist the hosts the "Test probe" button may reach, one pattern a line (see the help) */
    @DataBoundSetter
    public void setProbeHostAllowlist(final String probeHostAllowlist) {
        GlobalChecks.require("probeHostAllowlist", probeHostAllowlist);
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

    /** @param webhooks the webhooks that receive notifications; null means none */
    @DataBoundSetter
    public void setWebhooks(final List<WebhookTarget> webhooks) {
        this.webhooks = webhooks == null ? new ArrayList<>() : new ArrayList<>(webhooks);
        save();
    }

    /** @param value the interval as entered @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckInterval(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("interval", value)
                : FormValidation.ok();
    }

    /** @param value the watch as entered @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckWatch(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("watch", value) : FormValidation.ok();
    }

    /** @param value the cooldown as entered @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckCooldown(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("cooldown", value)
                : FormValidation.ok();
    }

    /** @param value the failure limit as entered @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckFailureLimit(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("failureLimit", value)
                : FormValidation.ok();
    }

    /** @param value the error limit as entered @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckConsecutiveErrorLimit(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("consecutiveErrorLimit", value)
                : FormValidation.ok();
    }

    /** @param value the number of good points kept @return the engine's check, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckKeepGood(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("keepGood", value)
                : FormValidation.ok();
    }

    /** @param value the backup directory as entered @return the result, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckBackupRoot(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("backupRoot", value)
                : FormValidation.ok();
    }

    /** @param value the patterns as entered, one per line @return the result, or ok without Overall/Administer */
    @POST
    public FormValidation doCheckProbeHostAllowlist(@QueryParameter final String value) {
        return jenkins.hasPermission(Jenkins.ADMINISTER) ? GlobalChecks.validate("probeHostAllowlist", value)
                : FormValidation.ok();
    }

    /**
     * Samples an HTTP or Prometheus probe once, for the "Test probe" button: administrators only, towards hosts of
     * the {@linkplain #getProbeHostAllowlist() allowlist} only (see {@link TestProbeButton}).
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
        return TestProbeButton.test(getProbeHostPatterns(), testProbeKind, testProbeUrl, testProbeQuery);
    }
}
