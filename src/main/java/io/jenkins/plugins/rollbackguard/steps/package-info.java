/**
 * Pipeline steps and the build-level objects of a rollback: the cause and the target of a reverting build.
 */
package io.jenkins.plugins.rollbackguard.steps;
