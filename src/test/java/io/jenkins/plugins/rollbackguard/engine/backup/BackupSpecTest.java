package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests the specs, {@link BackupSpecReader} and serialisation of the values sent to agents. */
class BackupSpecTest {
    @Test
    void shouldReadEveryKindFromYaml() {
        assertThat(BackupSpecReader.read("type: files\npath: /srv/app\nexclude: ['*.log']"))
                .isEqualTo(new FilesBackupSpec("/srv/app", List.of(), List.of("*.log"), 6));
        assertThat(BackupSpecReader.read("type: postgres\nhost: db\ndatabase: shop\nuser: app\n"
                + "passwordSecret: PGPASSWORD_PROD")).isEqualTo(
                new PostgresBackupSpec("db", 5432, "shop", "app", "PGPASSWORD_PROD", null, 3600, false));
        assertThat(BackupSpecReader.read("{\"type\": \"mysql\", \"host\": \"db\", \"database\": \"shop\", "
                + "\"user\": \"app\", \"checksumTables\": true}")).isEqualTo(
                new MysqlBackupSpec("db", 3306, "shop", "app", null, "mariadb-dump", "mariadb", 3600, true));
        assertThat(BackupSpecReader.read("type: command\ncommand: [etcdctl, snapshot, save, '{output}']"))
                .isEqualTo(new CommandBackupSpec(List.of("etcdctl", "snapshot", "save", "{output}"), null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "type: postgres\\nhost: db\\nport: 70000\\ndatabase: shop\\nuser: app | port | 70000",
            "type: postgres\\nhost: db\\ndatabase: 'shop; drop'\\nuser: app | database | shop; drop",
            "type: mysql\\nhost: 'db -e'\\ndatabase: shop\\nuser: app | host | db -e",
            "type: files\\npath: relative/dir | path | relative/dir",
            "type: files\\npath: /srv\\ncompressionLevel: 12 | compressionLevel | 12",
            "type: postgres\\nhost: db\\ndatabase: shop\\nuser: app\\npasswordSecret: 'hunter2 plain' | passwordSecret | name of a secret",
            "type: tape\\npath: /srv | type | tape",
            "type: files\\npath: /srv\\npaht: /x | paht | paht"})
    void shouldRejectBadValuesNamingFieldAndValue(final String yaml, final String field, final String value) {
        assertThatThrownBy(() -> BackupSpecReader.read(yaml.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field).hasMessageContaining(value);
    }

    @Test
    void shouldNotEchoASecretPastedInsteadOfItsName() {
        assertThatThrownBy(() -> new MysqlBackupSpec("db", null, "shop", "app", "p@ss word!", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passwordSecret")
                .hasMessageNotContaining("p@ss word!");
    }

    @Test
    void shouldSurviveJavaSerialisationForAgents() throws IOException, ClassNotFoundException {
        List<Object> values = List.of(
                new PostgresBackupSpec("db", null, "shop", "app", "PG", null, null, true),
                new CommandBackupSpec(List.of("sh", "-c", "x"), null, Map.of("T", "TOKEN"), null),
                FilesBackupSpec.of(java.nio.file.Path.of("/srv")),
                RestoreTarget.scratchDatabase("shop_test"));

        for (Object value : values) {
            assertThat(roundTrip(value)).isEqualTo(value);
        }
    }

    @Test
    void shouldDescribeSourcesWithoutSecrets() {
        PostgresBackupSpec spec = new PostgresBackupSpec("db", 5433, "shop", "app", "PG_PROD", null, null, null);

        assertThat(spec.describe()).isEqualTo("postgres://app@db:5433/shop");
    }

    private static Object roundTrip(final Object value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
