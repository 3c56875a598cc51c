package io.jenkins.plugins.rollbackguard.config;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Item;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;

/**
 * The plugin's permissions: the group "Rollback Guard" and {@link #ROLLBACK}, which allows starting a rollback of a
 * job. Whoever may configure a job may also roll it back.
 */
public final class RollbackPermissions {
    /** The permission group shown in the authorization matrix. */
    public static final PermissionGroup GROUP = new PermissionGroup(RollbackPermissions.class,
            Messages._RollbackPermissions_Group());

    /** Allows rolling a job back to one of its recorded rollback points; implied by {@link Item#CONFIGURE}. */
    public static final Permission ROLLBACK = new Permission(GROUP, "Rollback",
            Messages._RollbackPermissions_Rollback_Description(), Item.CONFIGURE, PermissionScope.ITEM);

    private RollbackPermissions() {
        // constants only
    }

    /**
     * Loads this class while Jenkins starts, so that the permissions are registered before an authorization
     * strategy lists or loads them.
     */
    @Initializer(after = InitMilestone.PLUGINS_STARTED)
    public static void register() {
        // loading the class registers GROUP and ROLLBACK
    }
}
