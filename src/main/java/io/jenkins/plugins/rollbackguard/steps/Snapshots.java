package io.jenkins.plugins.rollbackguard.steps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSnapshot;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;

/**
 * Encodes the engine's watch state (analysis snapshots, baselines) as text for the step execution's persisted
 * fields. The engine values are records; the style guide keeps records out of the Pipeline's own serialisation
 * until an ITest proves they round-trip, so the execution stores them as Java-serialised Base64 text.
 */
final class Snapshots {
    private Snapshots() {
    }

    static String encodeSnapshots(final Map<String, AnalysisSnapshot> snapshots) {
        return encode(new LinkedHashMap<>(snapshots));
    }

    static String encodeBaselines(final Map<String, Baseline> baselines) {
        return encode(new LinkedHashMap<>(baselines));
    }

    @SuppressWarnings("unchecked") // written by encodeSnapshots only
    static Map<String, AnalysisSnapshot> decodeSnapshots(final String text) {
        return text == null || text.isEmpty() ? Map.of() : (Map<String, AnalysisSnapshot>) decode(text);
    }

    @SuppressWarnings("unchecked") // written by encodeBaselines only
    static Map<String, Baseline> decodeBaselines(final String text) {
        return text == null || text.isEmpty() ? Map.of() : (Map<String, Baseline>) decode(text);
    }

    private static String encode(final Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot encode the watch state " + value.getClass().getName(), e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Object decode(final String text) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
            return in.readObject();
        }
        catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode the persisted watch state: " + e.getMessage(), e);
        }
    }
}
