package io.jenkins.plugins.rollbackguard.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;

import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * Who a build takes an environment's lease as ({@code jenkins:<job#build>}), and when a recorded owner is gone.
 *
 * <p>A {@code jenkins:} owner is dead only once Jenkins has completed its start (before that, a Pipeline that will
 * resume is not loaded yet and must not be overtaken) and its build no longer resolves or is no longer in progress,
 * as lockable-resources frees a lock whose build ended. The look-up runs as SYSTEM: {@code Run.fromExternalizableId}
 * resolves the job with {@code getItemByFullName}, which answers null for a job the current user cannot see, and an
 * invisible job is not a dead one. A {@code cli:} owner is asked of this host's processes.</p>
 */
public final class JenkinsLeases {
    private JenkinsLeases() {
    }

    /**
     * The owners of a build.
     *
     * @param run
     *         the build that takes leases
     * @return its owner name and the controller's liveness
     */
    public static LeaseOwners of(final Run<?, ?> run) {
        return new LeaseOwners(LeaseOwners.jenkins(run.getExternalizableId()), JenkinsLeases::isDead);
    }

    /**
     * Tells whether a recorded lease owner is certainly gone.
     *
     * @param owner
     *         the owner as recorded
     * @return whether it can never renew or release its lease
     */
    public static boolean isDead(final String owner) {
        if (owner == null) {
            return false;
        }
        if (!owner.startsWith(LeaseOwners.JENKINS)) {
            return LeaseOwners.isDeadProcess(owner);
        }
        if (!new JenkinsFacade().isFullyStarted()) {
            return false; // its build may still resume
        }
        String id = owner.substring(LeaseOwners.JENKINS.length());
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> build = resolve(id);
            return build == null || !build.isInProgress();
        }
        catch (IllegalArgumentException e) {
            return false; // not a build id: only 'lease break' frees it
        }
    }

    /**
     * Finds the owner's build, also after its job was renamed or moved while it ran: the lease keeps the name the
     * build took it under, and {@code fromExternalizableId} alone answers null for it, which would let another deploy
     * take over the lease of a build that still deploys.
     */
    @CheckForNull
    private static Run<?, ?> resolve(final String id) {
        Run<?, ?> build = Run.fromExternalizableId(id);
        int hash = id.lastIndexOf('#');
        if (build != null || hash <= 0) {
            return build;
        }
        String job = id.substring(0, hash);
        String renamed = new JobAliases().current(job);
        return renamed.equals(job) ? null : Run.fromExternalizableId(renamed + id.substring(hash));
    }
}
