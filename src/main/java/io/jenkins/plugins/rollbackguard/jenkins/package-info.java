/**
 * Host adapters: the engine's ports ({@code CommandRunner}, {@code SecretSource}, {@code Scheduler},
 * {@code GuardListener}, {@code ArtifactStore}) implemented with Jenkins APIs, and the callables that run engine
 * code on an agent. They translate; they do not decide.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.rollbackguard.jenkins;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
