/**
 * Rollback Guard for freestyle jobs: a build step that records the rollback point and takes the backups before the
 * deploy steps, and a post-build action that watches the deploy and rolls it back. Both translate the build into
 * engine calls; the engine's guard session decides.
 */
package io.jenkins.plugins.rollbackguard.freestyle;
