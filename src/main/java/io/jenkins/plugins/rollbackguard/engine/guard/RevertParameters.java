package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The parameter values of a reverting build: the target build's own values, so that the good deploy is repeated as
 * it ran, and the job's current default for every parameter added to the job after the target build. A host that
 * passes any values to its scheduler gets no defaults from it (Jenkins adds defaults only when no values are given),
 * so the defaults have to be filled in here.
 */
public final class RevertParameters {
    private RevertParameters() {
    }

    /**
     * Fills in the defaults of parameters the target build did not have.
     *
     * @param target
     *         the values the target build ran with, in order
     * @param defaults
     *         the job's current default values, in order
     * @param name
     *         a value's parameter name
     * @param <T>
     *         the host's parameter value type
     * @return the target's values, then the defaults of the parameters it lacks
     */
    public static <T> List<T> fill(final List<? extends T> target, final List<? extends T> defaults,
            final Function<? super T, String> name) {
        List<T> values = new ArrayList<>(target);
        Set<String> named = new HashSet<>();
        target.forEach(value -> named.add(name.apply(value)));
        for (T value : defaults) {
            if (named.add(name.apply(value))) {
                values.add(value);
            }
        }
        return values;
    }
}
