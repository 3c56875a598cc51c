package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Rebuilds one environment from every readable record of its snapshot and journal. */
final class LedgerSalvage {
    private final Path dir;
    private final EnvironmentName environment;
    private final LedgerCodec codec;
    private final Ledger.Options options;
    private final List<String> dropped = new ArrayList<>();
    private long records;

    LedgerSalvage(final Path dir, final EnvironmentName environment, final LedgerCodec codec,
                  final Ledger.Options options) {
        this.dir = dir;
        this.environment = environment;
        this.codec = codec;
        this.options = options;
    }

    SalvageReport run() {
        if (!Files.exists(dir.resolve(EnvironmentJournal.LOCK))) {
            throw new UnknownEnvironmentException(environment, List.of());
        }
        try {
            return FileLocks.withLock(dir.resolve(EnvironmentJournal.LOCK), this::salvage);
        }
        catch (IOException e) {
            throw new LedgerException("Cannot salvage environment '%s' in %s: %s".formatted(environment, dir, e), e);
        }
    }

    private SalvageReport salvage() throws IOException {
        SnapshotFiles files = new SnapshotFiles(dir, environment, codec, options);
        long generation = files.latestGeneration();
        EnvironmentState state = new EnvironmentState(environment, codec);
        Path snapshot = files.snapshot(generation);
        Path journal = files.journal(generation);
        if (generation > 0) {
            readSnapshot(snapshot, state);
        }
        if (Files.exists(journal)) {
            readJournal(journal, state);
        }
        fillGaps(state);
        String suffix = ".corrupt-" + System.currentTimeMillis();
        List<Path> moved = new ArrayList<>();
        for (Path file : List.of(snapshot, journal)) {
            if (Files.exists(file)) {
                Path aside = file.resolveSibling(file.getFileName() + suffix);
                Files.move(file, aside);
                moved.add(aside);
            }
        }
        files.write(generation + 1, state);
        return new SalvageReport(environment, state.size(), records, List.copyOf(dropped), moved);
    }

    /** Ids stay dense: a point whose every line was lost is kept as UNAVAILABLE, so no id is handed out twice. */
    private void fillGaps(final EnvironmentState state) {
        for (long id = 1; id <= state.size(); id++) {
            if (state.point(id).isEmpty()) {
                state.put(RollbackPoint.builder(environment, PointSource.cli("salvaged")).id(id)
                        .status(PointStatus.UNAVAILABLE).verdict("lost: its records were unreadable when the ledger was salvaged")
                        .createdAt(options.clock().get()).updatedAt(options.clock().get()).build());
            }
        }
    }

    private void readSnapshot(final Path file, final EnvironmentState state) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            int format = LedgerCodec.FORMAT;
            while ((text = reader.readLine()) != null) {
                line++;
                try {
                    JsonNode node = codec.tree(text);
                    if (line == 1) {
                        format = node.path("format").asInt(1);
                        SnapshotHeader header = codec.read(codec.migrate(node, format), SnapshotHeader.class);
                        state.restoreHeader(header.lastSeq(), header.circuit(), header.lease());
                    }
                    else {
                        state.put(codec.read(codec.migrate(node, format), RollbackPoint.class));
                    }
                    records++;
                }
                catch (IOException | IllegalArgumentException e) {
                    dropped.add(file.getFileName() + ":" + line);
                }
            }
        }
    }

    private void readJournal(final Path file, final EnvironmentState state) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = codec.tree(text);
                    JournalRecord record = codec.read(codec.migrate(node, node.path("v").asInt(1)), JournalRecord.class);
                    if (record.seq() > state.lastSeq()) {
                        state.apply(record);
                    }
                    records++;
                }
                catch (IOException | IllegalArgumentException e) {
                    dropped.add(file.getFileName() + ":" + line);
                }
            }
        }
    }
}
