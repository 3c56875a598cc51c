/**
 * The ports through which the engine reaches the world without knowing its host: processes, secrets,
 * time and scheduling, progress output. The command line implements them with plain JDK classes; the
 * Jenkins glue implements them with the step's {@code Launcher}, the Credentials plugin,
 * {@code jenkins.util.Timer} and the build's {@code TaskListener}.
 */
package io.jenkins.plugins.rollbackguard.engine.spi;
