/**
 * The guard: a guarded deploy end to end (preflight, record, baseline, backups, deploy, watch, verdict,
 * revert), the rollback planner with its data-version guard and cooldown, hooks around a revert,
 * webhook notifications, and the one policy schema that the CLI and the Jenkins steps share.
 */
package io.jenkins.plugins.rollbackguard.engine.guard;
