package io.jenkins.plugins.rollbackguard.ui;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.interceptor.RequirePOST;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.model.Api;
import hudson.model.Queue;
import hudson.model.Run;
import jenkins.model.RunAction2;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.RevertingBuilds;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The build page of a guarded build: its rollback point (environment, status, verdict, measurements), the backups
 * taken before the deploy (only for users who may roll the job back: dumps hold personal data), links between a bad
 * build and its reverting build, and the "Roll back to this build" button on restorable points. The point itself is
 * read from the ledger on every request, so the page always shows its current status; this action keeps only the
 * environment and the point id. Also exported to {@code /api/json}.
 *
 * <p>{@link RollbackPointActionFactory} attaches it to every build that recorded a point; the steps may also add it
 * to the build, which is why it is a {@link RunAction2}.</p>
 */
@ExportedBean(defaultVisibility = 2)
public class RollbackPointAction implements RunAction2 {
    /** The URL of the action below the build. */
    static final String URL_NAME = "rollback-point";

    private final String environment;
    private final long pointId;

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "restored by onAttached and onLoad")
    @CheckForNull
    private transient Run<?, ?> run;
    /** Service objects, not persisted: recreated on first use after the build was loaded. */
    @CheckForNull
    private transient JenkinsFacade jenkins;
    @CheckForNull
    private transient LedgerQueries queries;

    /**
     * Creates the action for a point.
     *
     * @param run
     *         the build that recorded the point
     * @param environment
     *         the point's environment
     * @param pointId
     *         the point's id in that environment
     */
    public RollbackPointAction(final Run<?, ?> run, final String environment, final long pointId) {
        this(run, environment, pointId, new JenkinsFacade(), new LedgerQueries());
    }

    RollbackPointAction(final Run<?, ?> run, final String environment, final long pointId,
            final JenkinsFacade jenkins, final LedgerQueries queries) {
        this.run = run;
        this.environment = environment;
        this.pointId = pointId;
        this.jenkins = jenkins;
        this.queries = queries;
    }

    @Override
    public void onAttached(final Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(final Run<?, ?> r) {
        this.run = r;
    }

    /** @return the build that recorded the point, or null before it was attached */
    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-undo";
    }

    @Override
    public String getDisplayName() {
        return Messages.RollbackPointAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** @return the remote API of this action, at {@code …/rollback-point/api/json} */
    public Api getApi() {
        return new Api(this);
    }

    /** @return the name of the environment the build deployed to */
    @Exported
    public String getEnvironment() {
        return environment;
    }

    /** @return the point's id in its environment */
    @Exported
    public long getPointId() {
        return pointId;
    }

    /** @return the point's status, or {@code UNKNOWN} if the ledger no longer has it */
    @Exported
    public String getStatus() {
        return findPoint().map(point -> point.status().name()).orElse("UNKNOWN");
    }

    /** @return the verdict's explanation, or an empty string */
    @Exported
    public String getVerdict() {
        return findPoint().map(point -> point.verdict() == null ? "" : point.verdict()).orElse("");
    }

    /** @return the id of the point this build reverts, or 0 */
    @Exported
    public long getRevertOf() {
        return findPoint().map(RollbackPoint::revertOf).orElse(0L);
    }

    /**
     * @return the incident this build's point opened (it became BAD) or ended (it restored the environment), with
     *         time to detect, time to restore and incident duration as the ledger computed them; null without one
     */
    @Exported
    @CheckForNull
    public IncidentExport getIncident() {
        return findPoint().flatMap(point -> queries().ledger().incident(point.environment(), point.id()))
                .filter(incident -> !incident.drill())
                .map(incident -> new IncidentExport(incident.report(EnvironmentName.of(environment)))).orElse(null);
    }

    /** @return the backups, exported only to users who may roll the job back; empty for everybody else */
    @Exported
    public List<ExportedBackup> getBackups() {
        if (!isBackupsVisible()) {
            return List.of();
        }
        return findPoint().map(point -> point.backups().stream().map(ExportedBackup::new).toList())
                .orElse(List.of());
    }

    /** @return the prepared view of the point, or null if the ledger no longer has it */
    @CheckForNull
    public PointView getModel() {
        return findPoint().map(point -> new PointView(point,
                queries().current(point.environment()).orElse(null), Instant.now())).orElse(null);
    }

    /** @return whether the current user may see the backups: the Rollback permission on the job */
    public boolean isBackupsVisible() {
        return run != null && jenkins().hasPermission(RollbackPermissions.ROLLBACK, run.getParent());
    }

    /**
     * Tells whether the current user may press "Roll back to this build": the point is restorable, it is not what
     * runs now, and the user holds the Rollback permission on the job.
     *
     * @return whether to show the button
     */
    public boolean isRollbackAllowed() {
        PointView model = getModel();
        return model != null && model.isRestorable() && !model.isCurrent() && isBackupsVisible();
    }

    /** @return the URL of the bad build this build reverts, relative to the Jenkins root, or null */
    @CheckForNull
    public String getRevertedBuildUrl() {
        return findPoint().filter(RollbackPoint::isRevert)
                .flatMap(point -> queries().point(point.environment(), point.revertOf()))
                .flatMap(this::buildUrl).orElse(null);
    }

    /** @return the URL of the build that reverted this build, relative to the Jenkins root, or null */
    @CheckForNull
    public String getRevertingBuildUrl() {
        return findPoint().flatMap(point -> queries().revertOf(point)).flatMap(this::buildUrl).orElse(null);
    }

    /**
     * Schedules a reverting build that returns the environment to this build's point. Only POST (with a crumb);
     * the confirmation page {@code confirm} shows what happens first.
     *
     * @param reason
     *         why, as typed on the confirmation page; may be empty
     * @return a redirect to the job page, where the reverting build appears
     */
    @RequirePOST
    public HttpResponse doRollback(@QueryParameter final String reason) {
        Run<?, ?> target = run;
        if (target == null || !jenkins().hasPermission(RollbackPermissions.ROLLBACK, target.getParent())) {
            return HttpResponses.forbidden();
        }
        PointView model = getModel();
        if (model == null || !model.isRestorable()) {
            return HttpResponses.errorWithoutStack(409, Messages.RollbackPointAction_NotRestorable(pointId,
                    model == null ? "UNKNOWN" : model.getStatus()));
        }
        if (model.isCurrent()) { // the page hides the button (isRollbackAllowed); a POST must obey the same rule
            return HttpResponses.errorWithoutStack(409, Messages.RollbackPointAction_AlreadyCurrent(pointId, environment));
        }
        Optional<String> refused = refusal();
        if (refused.isPresent()) {
            return HttpResponses.errorWithoutStack(409, refused.get());
        }
        String why = reason == null || reason.isBlank() ? Messages.RollbackPointAction_DefaultReason() : reason.trim();
        Optional<Queue.Item> item = RevertingBuilds.scheduleOnce(target, currentBuild().orElse(null), environment,
                pointId, why, jenkins().getCurrentUserId());
        if (item.isEmpty()) {
            return HttpResponses.errorWithoutStack(503, Messages.RollbackPointAction_NotScheduled());
        }
        return HttpResponses.redirectTo("../../");
    }

    /**
     * Plans the rollback as the command line and {@code rollbackTo} do: a data-version change nobody allowed (the
     * confirmation page only warns of it), a target whose revert failed, artifacts gone, or backups a reverting build
     * would have to restore first stop it here with the planner's words instead of deploying the old code anyway.
     */
    private Optional<String> refusal() {
        Optional<RollbackPoint> leaving = findPoint().flatMap(point -> queries().current(point.environment()));
        if (leaving.isEmpty()) {
            return Optional.empty(); // nothing runs: nothing to cross
        }
        RevertPlan plan = RevertingBuilds.planManual(queries().ledger(), leaving.get(), pointId);
        if (plan instanceof RevertPlan.Manual manual) {
            return Optional.of(Messages.RollbackPointAction_NeedsDecision(manual.describe()));
        }
        return RevertingBuilds.notCarriedOut((RevertPlan.Revert) plan);
    }

    private Optional<Run<?, ?>> currentBuild() {
        return findPoint().flatMap(point -> queries().current(point.environment()))
                .filter(current -> current.id() != pointId)
                .flatMap(current -> build(current.source()));
    }

    private Optional<String> buildUrl(final RollbackPoint point) {
        return build(point.source()).map(Run::getUrl);
    }

    private Optional<Run<?, ?>> build(final PointSource source) {
        if (source.kind() != PointSource.Kind.JENKINS) {
            return Optional.empty();
        }
        return jenkins().getBuild(source.job(), source.build());
    }

    private Optional<RollbackPoint> findPoint() {
        if (!EnvironmentName.isValid(environment)) {
            return Optional.empty();
        }
        return queries().point(EnvironmentName.of(environment), pointId);
    }

    private JenkinsFacade jenkins() {
        if (jenkins == null) {
            jenkins = new JenkinsFacade();
        }
        return jenkins;
    }

    private LedgerQueries queries() {
        if (queries == null) {
            queries = new LedgerQueries();
        }
        return queries;
    }

    /** A backup as {@code /api/json} shows it. */
    @ExportedBean(defaultVisibility = 3)
    public static final class ExportedBackup {
        private final BackupRef backup;

        ExportedBackup(final BackupRef backup) {
            this.backup = backup;
        }

        /** @return the backup's id */
        @Exported
        public String getId() {
            return backup.id();
        }

        /** @return its kind */
        @Exported
        public String getKind() {
            return backup.kind();
        }

        /** @return its size in bytes */
        @Exported
        public long getSize() {
            return backup.size();
        }

        /** @return when it was taken, ISO-8601 */
        @Exported
        public String getTakenAt() {
            return backup.takenAt().toString();
        }

        /** @return when it was last verified, ISO-8601, or null if never */
        @Exported
        @CheckForNull
        public String getVerifiedAt() {
            return backup.verifiedAt() == null ? null : backup.verifiedAt().toString();
        }
    }
}
