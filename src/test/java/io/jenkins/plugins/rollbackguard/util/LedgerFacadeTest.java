package io.jenkins.plugins.rollbackguard.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests the classes {@link LedgerFacade} and {@link RollbackGuardHome} with a stubbed {@link JenkinsFacade}.
 */
class LedgerFacadeTest {
    @Test
    void shouldKeepTheLedgerBelowJenkinsHome(@TempDir final Path jenkinsHome) {
        RollbackGuardHome home = createHome(jenkinsHome);

        assertThat(home.getLedgerRoot()).isEqualTo(jenkinsHome.resolve("rollback-guard/ledger"));
        assertThat(home.getDefaultBackupRoot()).isEqualTo(jenkinsHome.resolve("rollback-guard/backups"));
        assertThat(new LedgerFacade(home).getLedger().root())
                .isEqualTo(jenkinsHome.resolve("rollback-guard/ledger").toAbsolutePath().normalize())
                .isDirectory();
    }

    @Test
    void shouldOpenEachLedgerOnce(@TempDir final Path jenkinsHome) {
        RollbackGuardHome home = createHome(jenkinsHome);

        assertThat(new LedgerFacade(home).getLedger()).isSameAs(new LedgerFacade(home).getLedger());
    }

    private static RollbackGuardHome createHome(final Path jenkinsHome) {
        JenkinsFacade jenkins = mock(JenkinsFacade.class);
        when(jenkins.getRootDir()).thenReturn(jenkinsHome);
        return new RollbackGuardHome(jenkins);
    }
}
