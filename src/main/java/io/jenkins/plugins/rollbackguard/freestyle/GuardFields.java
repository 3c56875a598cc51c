package io.jenkins.plugins.rollbackguard.freestyle;

/**
 * The fields the freestyle build step and post-build action share with the pipeline step: the environment, the
 * policy file in the workspace, and the two policy values most often changed per job. The inline probes are the
 * build step's only ({@link RecordRollbackPointBuilder#getProbes}): it starts the guard.
 */
interface GuardFields {
    /** The policy file used when none is named. */
    String DEFAULT_POLICY_FILE = "rollback-guard.yaml";

    /** @return the environment deployed to */
    String getEnvironment();

    /**
     * @return the policy file, relative to the workspace; empty for none when the build step has inline probes, else
     *         for {@value #DEFAULT_POLICY_FILE}
     */
    String getPolicyFile();

    /** @return the policy file that is read, relative to the workspace; empty for none (the inline probes alone) */
    default String policyFileRead() {
        return FreestyleForms.policyFile(getPolicyFile());
    }

    /** @return rollback, freeze or fail; empty for the policy's value */
    String getOnTrip();

    /** @return the cooldown, e.g. {@code 15m}; empty for the policy's value */
    String getCooldown();
}
