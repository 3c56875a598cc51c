package io.jenkins.plugins.rollbackguard.freestyle;

/**
 * The fields the freestyle build step and post-build action share with the pipeline step: the environment, the
 * policy file in the workspace, and the two policy values most often changed per job.
 */
interface GuardFields {
    /** The policy file used when none is named. */
    String DEFAULT_POLICY_FILE = "rollback-guard.yaml";

    /** @return the environment deployed to */
    String getEnvironment();

    /** @return the policy file, relative to the workspace */
    String getPolicyFile();

    /** @return rollback, freeze or fail; empty for the policy's value */
    String getOnTrip();

    /** @return the cooldown, e.g. {@code 15m}; empty for the policy's value */
    String getCooldown();
}
