package io.jenkins.plugins.rollbackguard.util;

import java.nio.file.Path;
import java.util.Optional;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import jenkins.model.Jenkins;

/**
 * The one place that reaches the running Jenkins through {@link Jenkins#get()}. Every other glue class takes a
 * facade (a no-arg constructor for Jenkins, a package-private one for tests), so that unit tests can stub it
 * and the architecture tests can ban direct calls.
 */
public class JenkinsFacade {
    /**
     * Tells whether the current user has a permission on the Jenkins root.
     *
     * @param permission
     *         the permission to test
     * @return {@code true} if the current user has it
     */
    public boolean hasPermission(final Permission permission) {
        return Jenkins.get().hasPermission(permission);
    }

    /**
     * Tells whether the current user has a permission on an object (a job, a build, a folder).
     *
     * @param permission
     *         the permission to test
     * @param context
     *         the object the permission applies to
     * @return {@code true} if the current user has it
     */
    public boolean hasPermission(final Permission permission, final AccessControlled context) {
        return context.hasPermission(permission);
    }

    /**
     * Finds a job by its full name, as the current user sees it.
     *
     * @param fullName
     *         the full name, e.g. {@code folder/app}
     * @return the job, or empty if there is none or the current user may not see it
     */
    public Optional<Job<?, ?>> getJob(final String fullName) {
        return Optional.ofNullable(Jenkins.get().getItemByFullName(fullName, Job.class));
    }

    /**
     * Finds a build of a job by its full name and number, as the current user sees it.
     *
     * @param fullName
     *         the job's full name
     * @param number
     *         the build number
     * @return the build, or empty if the job or the build is gone or not visible
     */
    public Optional<Run<?, ?>> getBuild(final String fullName, final int number) {
        return getJob(fullName).map(job -> job.getBuildByNumber(number));
    }

    /**
     * Tells whether a plugin is installed and active, e.g. before touching classes of an optional dependency.
     *
     * @param shortName
     *         the plugin's short name, e.g. {@code git}
     * @return {@code true} if it is active
     */
    public boolean isPluginActive(final String shortName) {
        hudson.Plugin plugin = Jenkins.get().getPlugin(shortName);
        return plugin != null && plugin.getWrapper().isActive();
    }

    /** @return the authentication of the current thread (in a Pipeline step: the build's, see QueueItemAuthenticator) */
    public org.springframework.security.core.Authentication getAuthentication() {
        return Jenkins.getAuthentication2();
    }

    /** @return the Jenkins home directory, {@code JENKINS_HOME} */
    public Path getRootDir() {
        return Jenkins.get().getRootDir().toPath();
    }

    /**
     * Tells whether the current user can see a job.
     *
     * @param fullName
     *         the job's full name
     * @return {@code true} if the job exists and the current user may read it
     */
    public boolean canRead(final String fullName) {
        return getJob(fullName).isPresent();
    }

    /** @return the id of the current user, or {@code anonymous} when nobody is logged in */
    public String getCurrentUserId() {
        User user = User.current();
        return user == null ? "anonymous" : user.getId();
    }

    /**
     * Tells whether Jenkins has completed its start: before that, builds that will resume are not loaded yet.
     *
     * @return whether the init milestone COMPLETED was reached; false when no Jenkins runs
     */
    public boolean isFullyStarted() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins != null && jenkins.getInitLevel() == hudson.init.InitMilestone.COMPLETED;
    }

    /**
     * Tells whether Jenkins is stopping: its clean-up set this before it interrupts the executors of running builds.
     *
     * @return whether the container began to terminate Jenkins; false when no Jenkins runs
     */
    public boolean isTerminating() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins != null && jenkins.isTerminating();
    }

    /** @return the build queue of this controller */
    public hudson.model.Queue getQueue() {
        return Jenkins.get().getQueue();
    }

    /**
     * Returns the executors of every computer, one-off executors (a Pipeline's flyweight tasks) included.
     *
     * @return the executors; none when no Jenkins runs
     */
    public java.util.List<hudson.model.Executor> getAllExecutors() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null) {
            return java.util.List.of();
        }
        java.util.List<hudson.model.Executor> executors = new java.util.ArrayList<>();
        for (hudson.model.Computer computer : jenkins.getComputers()) {
            executors.addAll(computer.getAllExecutors());
        }
        return executors;
    }
}
