/**
 * Access to the running Jenkins and to the plugin's files on the controller. Only {@link
 * io.jenkins.plugins.rollbackguard.util.JenkinsFacade} calls {@code Jenkins.get()}.
 */
package io.jenkins.plugins.rollbackguard.util;
