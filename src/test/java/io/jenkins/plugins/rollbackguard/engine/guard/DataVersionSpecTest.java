package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Tests the class {@link DataVersionSpec} as the policy reader reads it: its sources, defaults and refusals. */
class DataVersionSpecTest {
    private static Policy read(final String yaml) {
        return new PolicyReader().parse("p.yaml", "environment: prod\n" + yaml);
    }

    @Test
    void shouldReadTheDatabaseOfTheBackupWithoutADataVersionField() {
        Policy implicit = read("backups: [{type: postgres, host: db, database: shop, user: app}]");
        Policy none = read("backups: [{type: files, path: /srv/shop}]");
        Policy value = read("backups: [{type: postgres, host: db, database: shop, user: app}]\ndataVersion: {value: V42}");

        assertThat(implicit.dataVersion()).isNull();
        assertThat(implicit.dataTracking()).isEqualTo(DataVersionSpec.database());
        assertThat(implicit.tracksDataImplicitly()).isTrue();
        assertThat(none.dataTracking()).as("no database: nothing to read").isNull();
        assertThat(value.dataTracking().readsDatabase()).isFalse();
        assertThat(value.tracksDataImplicitly()).isFalse();
    }

    @Test
    void shouldReadEveryFieldOfTheDatabaseSource() {
        Policy policy = read("""
                dataVersion:
                  backup: shop
                  tool: liquibase
                  table: public.databasechangelog
                  lockTimeout: 2m
                  compatible: [V3__add.sql, '4']
                  undo: {command: [liquibase, rollback, v1], secretEnvironment: {PW: SHOP_DB}}
                  businessTables: [orders, payments]
                  migrations: db/migration
                """);

        DataVersionSpec spec = policy.dataVersion();
        assertThat(spec.source()).isEqualTo("database");
        assertThat(spec.dataSource().tool()).isEqualTo("liquibase");
        assertThat(spec.dataSource().lockTimeout()).isEqualTo("2m");
        assertThat(spec.declaresCompatible("v3__ADD.sql")).isTrue();
        assertThat(spec.declaresCompatible("5", "V5__x.sql")).isFalse();
        assertThat(spec.undo().timeout()).isEqualTo("10m");
        assertThat(spec.businessTables()).containsExactly("orders", "payments");
        assertThat(PolicySecrets.names(policy)).containsEntry("dataVersion.undo.secretEnvironment.PW", "SHOP_DB");
        assertThat(new PolicyReader().parse("again", policyJson(policy)).dataVersion()).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dataVersion: {source: db}|dataVersion.source: 'db' is not known; use 'database'",
        "dataVersion: {value: V1, source: database}|dataVersion: give one of 'value', 'command' or 'source', not 'source' with",
        "dataVersion: {value: V1, tool: flyway}|dataVersion.tool: is only read from the database; remove it, or remove 'value'",
        "dataVersion: {source: query}|dataVersion.sql: is required with 'source: query'",
        "dataVersion: {undo: {timeout: 5m}}|dataVersion.undo.command: is required",
        "dataVersion: {businessTables: ['orders; drop table x']}|dataVersion.businessTables[0]: 'orders; drop table x' is not a table name",
        "dataVersion: {compatible: ['']}|dataVersion.compatible[0]: is empty",
        "dataVersion: {value: ''}|dataVersion.value: is empty",
    })
    void shouldRefuseInOneSentenceNamingTheField(final String yaml, final String expected) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(expected).satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("dataVersion: dataVersion", "Exception", "io.jenkins"));
    }

    private static String policyJson(final Policy policy) {
        try {
            return new PolicyReader().mapper().writeValueAsString(policy);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
