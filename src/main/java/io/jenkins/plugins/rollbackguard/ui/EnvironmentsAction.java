package io.jenkins.plugins.rollbackguard.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import hudson.Extension;
import hudson.model.Api;
import hudson.model.RootAction;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardCounts;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The environments overview at {@code JENKINS_URL/rollback-guard/}: every environment's circuit, last good point,
 * change-failure rate, time to restore and recent events. It lists only what the current user may read: an
 * environment appears if one of its recent points comes from a job the user can read (administrators see all), and
 * points and events of other jobs are left out. Also exported to {@code /rollback-guard/api/json}: each visible
 * environment's circuit, DORA counts, trips and reverts, and its incident figures (time to detect, time to restore,
 * incident duration: the ledger's, the same as {@code rollback-guard metrics --json} and {@code status --json}).
 */
@Extension
@ExportedBean(defaultVisibility = 2)
public class EnvironmentsAction implements RootAction {
    /** How many recent events per environment the page shows, before filtering. */
    static final int EVENTS_SHOWN = 20;
    /** How many recent points per environment decide who may see it. */
    static final int POINTS_SCANNED = 200;

    private final JenkinsFacade jenkins;
    private final LedgerQueries queries;

    /** Creates the page for the running Jenkins. */
    public EnvironmentsAction() {
        this(new JenkinsFacade(), new LedgerQueries());
    }

    EnvironmentsAction(final JenkinsFacade jenkins, final LedgerQueries queries) {
        this.jenkins = jenkins;
        this.queries = queries;
    }

    @Override
    public String getIconFileName() {
        return jenkins.hasPermission(Jenkins.READ) ? "symbol-shield-warning" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.EnvironmentsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "rollback-guard";
    }

    /** @return the remote API of this page, at {@code JENKINS_URL/rollback-guard/api/json} */
    public Api getApi() {
        return new Api(this);
    }

    /** @return the goal for an incident's duration in milliseconds (15 minutes) */
    @Exported
    public long getGoalMs() {
        return IncidentFigures.GOAL.toMillis();
    }

    /** @return how many of the environments the current user may see are frozen (circuit OPEN) */
    @Exported
    public long getFrozenEnvironments() {
        return getEnvironments().stream().filter(EnvironmentView::isFrozen).count();
    }

    /** @return the environments the current user may see, sorted by name */
    @Exported
    public List<EnvironmentView> getEnvironments() {
        List<EnvironmentView> views = new ArrayList<>();
        if (!jenkins.hasPermission(Jenkins.READ)) {
            return views;
        }
        boolean admin = jenkins.hasPermission(Jenkins.ADMINISTER);
        for (EnvironmentName environment : queries.environments()) {
            Map<String, Boolean> readable = new HashMap<>();
            List<RollbackPoint> visible = queries.newest(environment, point -> isVisible(point, admin, readable),
                    POINTS_SCANNED);
            if (visible.isEmpty()) {
                continue;
            }
            views.add(view(environment, admin, readable));
        }
        return views;
    }

    private EnvironmentView view(final EnvironmentName environment, final boolean admin,
            final Map<String, Boolean> readable) {
        Optional<RollbackPoint> lastGood = queries.ledger().lastGood(environment)
                .filter(point -> isVisible(point, admin, readable));
        List<LedgerEvent> events = queries.ledger().events(environment, EVENTS_SHOWN).stream()
                .filter(event -> isVisible(event, environment, admin, readable))
                .toList();
        return new EnvironmentView(environment.value(), queries.ledger().circuit(environment), lastGood.orElse(null),
                queries.ledger().dora(environment), List.of(), events)
                .withFigures(queries.ledger().incidents(environment), () -> GuardCounts.of(queries.ledger(), environment));
    }

    /** Events of a point are shown if its job is readable; environment-wide events (circuit resets) always. */
    private boolean isVisible(final LedgerEvent event, final EnvironmentName environment, final boolean admin,
            final Map<String, Boolean> readable) {
        if (event.pointId() <= 0) {
            return true;
        }
        return queries.point(environment, event.pointId()).map(point -> isVisible(point, admin, readable))
                .orElse(admin);
    }

    private boolean isVisible(final RollbackPoint point, final boolean admin, final Map<String, Boolean> readable) {
        if (admin) {
            return true;
        }
        PointSource source = point.source();
        if (source.kind() != PointSource.Kind.JENKINS) {
            return false; // command-line points name no job a permission could be checked on
        }
        return readable.computeIfAbsent(source.job(), jenkins::canRead);
    }
}
