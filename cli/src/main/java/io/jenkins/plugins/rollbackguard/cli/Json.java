package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON output for {@code --json}. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Prints a value masked with every secret this process resolved (a verdict line may quote one). */
    static void printMasked(final PrintWriter out, final Object value) {
        try {
            out.println(CliHost.mask(MAPPER.writeValueAsString(value)));
            out.flush();
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** @return a record as the map of its JSON fields, in their order (to merge it into a larger object) */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(final Object value) {
        return MAPPER.convertValue(value, LinkedHashMap.class);
    }

    static void print(final PrintWriter out, final Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
