package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a {@link BackupSpec} from YAML or JSON (JSON is YAML). Any problem becomes an
 * {@link IllegalArgumentException} that names the field and the bad value.
 */
public final class BackupSpecReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private BackupSpecReader() {
        // static helpers only
    }

    /**
     * Parses one spec.
     *
     * @param text
     *         YAML or JSON with a {@code type} property
     * @return the spec
     * @throws IllegalArgumentException
     *         if the text is not a valid spec
     */
    public static BackupSpec read(final String text) {
        try {
            return YAML.readValue(text, BackupSpec.class);
        }
        catch (JsonMappingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid) {
                    throw new IllegalArgumentException(invalid.getMessage(), e);
                }
            }
            throw new IllegalArgumentException("backup spec: " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("backup spec: not valid YAML or JSON: " + e.getMessage(), e);
        }
    }
}
