/**
 * The global configuration of Rollback Guard, its permissions and the checks of the configuration form.
 */
package io.jenkins.plugins.rollbackguard.config;
