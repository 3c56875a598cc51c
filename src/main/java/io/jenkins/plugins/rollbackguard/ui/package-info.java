/**
 * Web pages of Rollback Guard: the build page's rollback point with its "Roll back to this build" button, the job
 * page's rollback points with the circuit reset, and the environments overview. The pages read the ledger and
 * prepare view models; they decide nothing.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.rollbackguard.ui;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
