package io.jenkins.plugins.rollbackguard.engine.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of a watch's state, for hosts that must keep it across a restart (a Jenkins step
 * execution keeps it in a string field): analysis snapshots and baselines as JSON. JSON rather than Java
 * serialisation, so that the text is readable in {@code build.xml}, survives changes to the classes, and
 * no object stream is ever read back. Missing values ({@code NaN}) are kept as {@code "NaN"}.
 */
public final class WatchState {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer plugin may add fields
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final TypeReference<LinkedHashMap<String, AnalysisSnapshot>> SNAPSHOTS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Baseline>> BASELINES = new TypeReference<>() { };

    private WatchState() {
        // static helpers only
    }

    /**
     * Writes analysis snapshots.
     *
     * @param snapshots
     *         by probe name
     * @return the text; read it back with {@link #readSnapshots}
     */
    public static String writeSnapshots(final Map<String, AnalysisSnapshot> snapshots) {
        return write(snapshots);
    }

    /**
     * Reads analysis snapshots.
     *
     * @param text
     *         what {@link #writeSnapshots} wrote; empty or null for none
     * @return the snapshots by probe name, in their order
     * @throws IllegalArgumentException
     *         if the text is not a watch state
     */
    public static Map<String, AnalysisSnapshot> readSnapshots(final String text) {
        return read(text, SNAPSHOTS, "analysis snapshots");
    }

    /**
     * Writes baselines.
     *
     * @param baselines
     *         by probe name
     * @return the text; read it back with {@link #readBaselines}
     */
    public static String writeBaselines(final Map<String, Baseline> baselines) {
        return write(baselines);
    }

    /**
     * Reads baselines.
     *
     * @param text
     *         what {@link #writeBaselines} wrote; empty or null for none
     * @return the baselines by probe name, in their order
     * @throws IllegalArgumentException
     *         if the text is not a watch state
     */
    public static Map<String, Baseline> readBaselines(final String text) {
        return read(text, BASELINES, "baselines");
    }

    private static String write(final Map<String, ?> values) {
        try {
            return JSON.writeValueAsString(values);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the watch state: " + e.getOriginalMessage(), e);
        }
    }

    private static <T extends Map<String, ?>> T read(final String text, final TypeReference<T> type,
            final String what) {
        if (text == null || text.isBlank()) {
            return JSON.convertValue(Map.of(), type);
        }
        try {
            return JSON.readValue(text, type);
        }
        catch (JsonProcessingException e) {
            // the location says where; the text itself may be long, so only its start is shown
            throw new IllegalArgumentException("the persisted %s are not readable (%s): '%s'".formatted(what,
                    e.getOriginalMessage(), text.length() > 60 ? text.substring(0, 60) + "..." : text), e);
        }
    }
}
