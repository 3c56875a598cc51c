package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies why a Jenkins deploy stopped, from class names only: the host hands over the names of the causes of
 * interruption and of the exceptions it saw (each with its superclasses and interfaces), so that the engine needs
 * neither Jenkins nor the optional plugins whose causes it knows (timeout, milestone, agents). Each name below was
 * read in the plugin that defines it.
 *
 * <p>An agent that is lost wins over a deliberate cause: when the agent that ran the deploy is gone, what it did is
 * not known, whoever asked to stop, so the environment is frozen (fail closed).</p>
 */
public final class InterruptionCauses {
    /** jenkinsci/jenkins {@code core/.../jenkins/model/CauseOfInterruption.java}: the stop button, the CLI. */
    static final String USER = "jenkins.model.CauseOfInterruption$UserInterruption";
    /** workflow-basic-steps {@code TimeoutStepExecution.ExceededTimeout}: a {@code timeout} block expired. */
    static final String TIMEOUT = "org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution$ExceededTimeout";
    /** pipeline-milestone-step {@code CancelledCause}: a newer build passed a milestone ({@code MilestoneStorage.cancel}). */
    static final String MILESTONE = "org.jenkinsci.plugins.pipeline.milestone.CancelledCause";
    /** workflow-job {@code DisableConcurrentBuildsJobProperty.CancelledCause}: {@code abortPrevious} started a newer build. */
    static final String ABORT_PREVIOUS = "org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty$CancelledCause";
    /**
     * What workflow-durable-task-step's {@code AgentErrorCondition} treats as a lost agent: the retryable causes of
     * {@code ExecutorStepExecution} (removed node, timeout waiting for it, cancelled queue task) by their marker
     * interface and by name, {@code AgentOfflineException}, and what remoting's {@code Channel.isClosedChannelException}
     * counts as a closed channel.
     */
    static final Set<String> AGENT_LOST = Set.of(
            "org.jenkinsci.plugins.workflow.support.steps.AgentErrorCondition$Retryable",
            "org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$RemovedNodeCause",
            "org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$RemovedNodeTimeoutCause",
            "org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$QueueTaskCancelled",
            "org.jenkinsci.plugins.workflow.support.steps.AgentOfflineException",
            "java.nio.channels.ClosedChannelException",
            "hudson.remoting.ChannelClosedException",
            "java.io.EOFException");
    /** The build result Jenkins gives a build stopped for a newer one (milestone, abortPrevious). */
    static final String NOT_BUILT = "NOT_BUILT";

    private InterruptionCauses() {
    }

    /**
     * Classifies an interruption of the deploy (a {@code FlowInterruptedException}, or the cause handed to a step's
     * {@code stop}).
     *
     * @param classNames
     *         the class names of its causes of interruption and of the exceptions in its chain, each with its
     *         superclasses and interfaces (binary names, {@code Outer$Inner})
     * @param resultName
     *         the result it carries ({@code ABORTED}, {@code NOT_BUILT}, ...), or null
     * @return the cause: a lost agent first, then the first deliberate cause named, else SUPERSEDED for a
     *         {@code NOT_BUILT} stop and OTHER for anything else (the deploy's effect is then unknown)
     */
    public static Interruption classify(final List<String> classNames, final String resultName) {
        if (classNames.stream().anyMatch(AGENT_LOST::contains)) {
            return Interruption.AGENT_LOST;
        }
        for (String name : classNames) {
            Optional<Interruption> deliberate = deliberate(name);
            if (deliberate.isPresent()) {
                return deliberate.get();
            }
        }
        return NOT_BUILT.equals(resultName) ? Interruption.SUPERSEDED : Interruption.OTHER;
    }

    /**
     * Tells whether a failure of the deploy that is no interruption shows a lost agent (a closed channel, an offline
     * agent): the deploy's effect is then unknown, which is not a failed deploy.
     *
     * @param classNames
     *         the class names of the exceptions in the failure's chain, each with its superclasses
     * @return AGENT_LOST, or empty for a failed deploy
     */
    public static Optional<Interruption> ofFailure(final List<String> classNames) {
        return classNames.stream().anyMatch(AGENT_LOST::contains) ? Optional.of(Interruption.AGENT_LOST)
                : Optional.empty();
    }

    /**
     * Lists the names of a failure: of every exception in its chain of causes and suppressed exceptions (as
     * remoting's {@code Channel.isClosedChannelException} walks it), each with its {@linkplain #hierarchy hierarchy}.
     *
     * @param failure
     *         the failure, or null
     * @return the names, the failure's own first
     */
    public static List<String> namesOf(final Throwable failure) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<Throwable> pending = new java.util.ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty()) {
            Throwable next = pending.poll();
            if (seen.add(next)) {
                names.addAll(hierarchy(next.getClass()));
                if (next.getCause() != null) {
                    pending.add(next.getCause());
                }
                pending.addAll(List.of(next.getSuppressed()));
            }
        }
        return List.copyOf(names);
    }

    /**
     * Lists the names a host hands over for one object: its class, the class's superclasses and every interface
     * they implement, so that a subclass (an {@code AsynchronousCloseException} is a {@code ClosedChannelException})
     * or a marker interface ({@code AgentErrorCondition.Retryable}) is recognised by name.
     *
     * @param type
     *         the class of a cause or an exception
     * @return the binary names, the class first
     */
    public static List<String> hierarchy(final Class<?> type) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<Class<?>> pending = new java.util.ArrayDeque<>();
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            names.add(current.getName());
            pending.addAll(List.of(current.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (names.add(next.getName())) {
                pending.addAll(List.of(next.getInterfaces()));
            }
        }
        return List.copyOf(names);
    }

    private static Optional<Interruption> deliberate(final String name) {
        return switch (name) {
            case USER -> Optional.of(Interruption.USER);
            case TIMEOUT -> Optional.of(Interruption.TIMEOUT);
            case MILESTONE, ABORT_PREVIOUS -> Optional.of(Interruption.SUPERSEDED);
            default -> Optional.empty();
        };
    }
}
