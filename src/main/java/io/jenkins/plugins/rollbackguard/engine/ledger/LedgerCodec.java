package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reads and writes ledger lines as JSON, and migrates lines written by older versions.
 *
 * <p>Format history: version 1 called a rolled-back point {@code ROLLED_BACK}; version 2 calls it
 * {@code REVERTED}; version 3 adds environment leases (lease events, a lease in journal records and snapshot
 * headers) and reads version 2 lines as they are; version 4 adds decision records (a person's mark, resume or
 * data-version override). Only decision records are written in version 4, every other line and snapshot stays in
 * version 3, so that an older reader refuses a ledger only once someone decided something in it. A reader refuses
 * lines newer than {@link #NEWEST}: a version 3 reader that meets a decision says to upgrade, and never drops it as a
 * torn write.</p>
 */
final class LedgerCodec {
    /** The format version this code writes lines (but decisions) and snapshots in. */
    static final int FORMAT = 3;
    /** The format of decision records. */
    static final int DECISION_FORMAT = 4;
    /** The newest format this code reads. */
    static final int NEWEST = DECISION_FORMAT;

    /** What every line in the current format starts with: such lines skip the migration step. */
    private static final String CURRENT_PREFIX = "{\"v\":" + FORMAT + ",";
    private static final String DECISION_PREFIX = "{\"v\":" + DECISION_FORMAT + ",";
    /** Format 2 lines need no migration to format 3 either. */
    private static final String PREVIOUS_PREFIX = "{\"v\":2,";
    /** Snapshot headers of the formats read without migration. */
    private static final String HEADER_PREFIX = "{\"format\":" + FORMAT + ",";
    private static final String PREVIOUS_HEADER_PREFIX = "{\"format\":2,";

    // Instants as epoch milliseconds: parsing ISO text dominated the cold open of large ledgers.
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ObjectReader recordReader = mapper.readerFor(JournalRecord.class);
    private final ObjectReader pointReader = mapper.readerFor(RollbackPoint.class);
    private final ObjectReader headerReader = mapper.readerFor(SnapshotHeader.class);

    /**
     * Returns the format a record of a type is written in.
     *
     * @param type
     *         the record's type
     * @return {@link #DECISION_FORMAT} for a decision, {@link #FORMAT} for any other
     */
    static int formatOf(final LedgerEvent.Type type) {
        return type == LedgerEvent.Type.DECISION ? DECISION_FORMAT : FORMAT;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    String write(final Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new LedgerException("Cannot write ledger record " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a journal line, binding lines of the current format directly and migrating older ones.
     *
     * @param line
     *         the line
     * @return the record
     * @throws IOException
     *         if the line is not JSON, not a record, or of a newer format
     */
    JournalRecord readRecord(final String line) throws IOException {
        if (line.startsWith(CURRENT_PREFIX) || line.startsWith(PREVIOUS_PREFIX) || line.startsWith(DECISION_PREFIX)) {
            return recordReader.readValue(line);
        }
        JsonNode node = tree(line);
        return read(migrate(node, node.path("v").asInt(1)), JournalRecord.class);
    }

    /**
     * Reads a snapshot's point line.
     *
     * @param line
     *         the line
     * @param format
     *         the snapshot's format
     * @return the point
     * @throws IOException
     *         if the line is not a point
     */
    RollbackPoint readPoint(final String line, final int format) throws IOException {
        if (format == FORMAT || format == 2) {
            return pointReader.readValue(line);
        }
        return read(migrate(tree(line), format), RollbackPoint.class);
    }

    /**
     * Binds a snapshot header of a format that needs no migration directly, without building a tree first: the
     * header of a large ledger holds its incidents and indexes, and the tree doubled its share of the cold open.
     *
     * @param line
     *         the snapshot's first line
     * @return the header, or empty when the line is of another format (then it is read as a tree and migrated)
     */
    java.util.Optional<SnapshotHeader> readHeader(final String line) {
        if (line == null || !(line.startsWith(HEADER_PREFIX) || line.startsWith(PREVIOUS_HEADER_PREFIX))) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(headerReader.readValue(line));
        }
        catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.empty(); // the tree path says what is wrong with it
        }
    }

    JsonNode tree(final String line) throws IOException {
        JsonNode node = mapper.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return node;
    }

    <T> T read(final JsonNode node, final Class<T> type) throws IOException {
        return mapper.treeToValue(node, type);
    }

    /**
     * Brings a record written in an older format up to date.
     *
     * @param node
     *         the record
     * @param version
     *         the version it was written in
     * @return the record in the current format
     * @throws IOException
     *         if the version is newer than this reader knows
     */
    JsonNode migrate(final JsonNode node, final int version) throws IOException {
        if (version > NEWEST) {
            throw new FormatTooNewException("written in format %d, but this rollback-guard reads formats up to %d: upgrade it"
                    .formatted(version, NEWEST));
        }
        if (version < 2) {
            renameStatus(node);
        }
        return node;
    }

    /** Format 1 to 2: the status ROLLED_BACK became REVERTED, wherever a status appears. */
    private static void renameStatus(final JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String field : new String[] {"status", "from", "to"}) {
                JsonNode value = object.get(field);
                if (value != null && "ROLLED_BACK".equals(value.asText())) {
                    object.set(field, TextNode.valueOf(PointStatus.REVERTED.name()));
                }
            }
            object.elements().forEachRemaining(LedgerCodec::renameStatus);
        }
        else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(LedgerCodec::renameStatus);
        }
    }
}
