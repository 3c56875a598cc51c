package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation;

/**
 * A deploy that can be returned to: what was deployed (artifacts, commit, parameters, data version),
 * the backups taken before it, and where it stands in its lifecycle. Immutable; the ledger assigns the
 * id and the timestamps. Create a draft with {@link #builder(EnvironmentName, PointSource)} and hand it
 * to {@link Ledger#record}.
 *
 * @param id
 *         the point's number in its environment, from 1; 0 in a draft
 * @param environment
 *         the environment
 * @param source
 *         the build or run that deployed it
 * @param artifacts
 *         the deployed artifacts with their hashes
 * @param gitCommit
 *         the deployed commit, or null
 * @param parameters
 *         the build's parameters, secret ones left out
 * @param dataVersion
 *         the schema or data version the deploy expects (e.g. the last migration), or null
 * @param backups
 *         the backups taken before the deploy
 * @param status
 *         where the point stands
 * @param verdict
 *         a one-line explanation of the verdict, or null
 * @param revertOf
 *         the id of the point this one reverts, or 0
 * @param owner
 *         the process that deploys and watches it ({@code pid:start@host}), or null once decided
 * @param createdAt
 *         when it was recorded
 * @param updatedAt
 *         when it last changed
 * @param deployedAt
 *         when its watch began, or null
 * @param decidedAt
 *         when it got a verdict, or null
 * @param attributes
 *         further host-specific values (policy hash, build URL)
 * @param explanation
 *         why the verdict is what it is, as data (rule, baseline, observed value, change, threshold, samples): written
 *         once with the verdict; null before a verdict, for a verdict without one (a person's mark), and in journals
 *         and snapshots written before it existed
 * @param dataHeads
 *         the data heads read during the point's life (before and after the deploy, at the end of the watch, at a
 *         trip), oldest first; empty for a point recorded before they were kept or whose data version is not read
 *         from a database
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackPoint(long id, EnvironmentName environment, PointSource source, List<ArtifactRef> artifacts,
                            String gitCommit, Map<String, String> parameters, String dataVersion,
                            List<BackupRef> backups, PointStatus status, String verdict, long revertOf,
                            String owner, Instant createdAt, Instant updatedAt, Instant deployedAt,
                            Instant decidedAt, Map<String, String> attributes, VerdictExplanation explanation,
                            List<SeenHead> dataHeads)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release
    /**
     * Attribute: {@code true} on a point aborted because its deploy never started (its command could not be
     * started). Nothing was deployed, so the DORA figures do not count it as a deploy.
     */
    public static final String NEVER_STARTED = "deploy.neverStarted";
    /**
     * Attribute: on a GOOD or ADOPTED point that a revert returned to and whose revert failed its watch (the value
     * says which revert). Such a point is not a rollback target, nor the last good point, until a person marks it
     * good again.
     */
    public static final String REVERT_FAILED = "revert.failed";

    /** Checks and copies the values. */
    public RollbackPoint {
        if (environment == null) {
            throw new IllegalArgumentException("point.environment: required");
        }
        if (source == null) {
            throw new IllegalArgumentException("point.source: required");
        }
        if (status == null) {
            throw new IllegalArgumentException("point.status: required");
        }
        if (id < 0 || revertOf < 0) {
            throw new IllegalArgumentException("point.id/revertOf: must not be negative, got %d/%d".formatted(id, revertOf));
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        backups = backups == null ? List.of() : List.copyOf(backups);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        dataHeads = dataHeads == null ? List.of() : List.copyOf(dataHeads);
    }

    /**
     * A point without data heads (the components before they existed).
     *
     * @param id the id @param environment the environment @param source the source @param artifacts the artifacts
     * @param gitCommit the commit @param parameters the parameters @param dataVersion the data version
     * @param backups the backups @param status the status @param verdict the verdict @param revertOf the point reverted
     * @param owner the owner @param createdAt recorded @param updatedAt changed @param deployedAt deployed
     * @param decidedAt decided @param attributes the attributes @param explanation the verdict's explanation
     */
    public RollbackPoint(final long id, final EnvironmentName environment, final PointSource source,
                         final List<ArtifactRef> artifacts, final String gitCommit, final Map<String, String> parameters,
                         final String dataVersion, final List<BackupRef> backups, final PointStatus status,
                         final String verdict, final long revertOf, final String owner, final Instant createdAt,
                         final Instant updatedAt, final Instant deployedAt, final Instant decidedAt,
                         final Map<String, String> attributes, final VerdictExplanation explanation) {
        this(id, environment, source, artifacts, gitCommit, parameters, dataVersion, backups, status, verdict, revertOf,
                owner, createdAt, updatedAt, deployedAt, decidedAt, attributes, explanation, null);
    }

    /** @return the newest data head read for this point, if any */
    public java.util.Optional<SeenHead> lastHead() {
        return dataHeads.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(dataHeads.get(dataHeads.size() - 1));
    }

    /**
     * Starts a draft point.
     *
     * @param environment
     *         the environment
     * @param source
     *         the build or run that deploys it
     * @return a builder
     */
    public static Builder builder(final EnvironmentName environment, final PointSource source) {
        return new Builder(environment, source);
    }

    /** @return a builder holding this point's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return whether this point is a revert of another */
    @JsonIgnore
    public boolean isRevert() {
        return revertOf > 0;
    }

    /** @return whether a revert may return to this point: GOOD or ADOPTED, and no revert to it failed since */
    @JsonIgnore
    public boolean isRestorable() {
        return status.isRestorable() && !attributes.containsKey(REVERT_FAILED);
    }

    /** @return a short label such as "production#12 (shop #40)" */
    public String label() {
        return environment + "#" + id + " (" + source.label() + ")";
    }

    /** Collects the values of a point; the ledger fills id, status and timestamps. */
    public static final class Builder {
        private long id;
        private final EnvironmentName environment;
        private final PointSource source;
        private final List<ArtifactRef> artifacts = new ArrayList<>();
        private String gitCommit;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private String dataVersion;
        private final List<BackupRef> backups = new ArrayList<>();
        private PointStatus status = PointStatus.RECORDED;
        private String verdict;
        private long revertOf;
        private String owner;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant deployedAt;
        private Instant decidedAt;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private VerdictExplanation explanation;
        private final List<SeenHead> dataHeads = new ArrayList<>();

        private Builder(final EnvironmentName environment, final PointSource source) {
            this.environment = environment;
            this.source = source;
        }

        private Builder(final RollbackPoint point) {
            this(point.environment, point.source);
            id = point.id;
            artifacts.addAll(point.artifacts);
            gitCommit = point.gitCommit;
            parameters.putAll(point.parameters);
            dataVersion = point.dataVersion;
            backups.addAll(point.backups);
            status = point.status;
            verdict = point.verdict;
            revertOf = point.revertOf;
            owner = point.owner;
            createdAt = point.createdAt;
            updatedAt = point.updatedAt;
            deployedAt = point.deployedAt;
            decidedAt = point.decidedAt;
            attributes.putAll(point.attributes);
            explanation = point.explanation;
            dataHeads.addAll(point.dataHeads);
        }

        /** @param value the artifact to add @return this */
        public Builder artifact(final ArtifactRef value) {
            artifacts.add(value);
            return this;
        }

        /** @param value the artifacts, replacing any added so far @return this */
        public Builder artifacts(final List<ArtifactRef> value) {
            artifacts.clear();
            artifacts.addAll(value);
            return this;
        }

        /** @param value the deployed commit @return this */
        public Builder gitCommit(final String value) {
            gitCommit = value;
            return this;
        }

        /** @param name a parameter name @param value its non-secret value @return this */
        public Builder parameter(final String name, final String value) {
            parameters.put(name, value);
            return this;
        }

        /** @param value the data version @return this */
        public Builder dataVersion(final String value) {
            dataVersion = value;
            return this;
        }

        /**
         * Adds a data head read now; it keeps its newest {@value SeenHead#KEPT} migrations and the heads before it keep
         * their head only.
         *
         * @param value the head
         * @return this
         */
        public Builder dataHead(final SeenHead value) {
            dataHeads.replaceAll(SeenHead::headOnly);
            dataHeads.add(value.trimmed());
            return this;
        }

        /** @param value a backup to add @return this */
        public Builder backup(final BackupRef value) {
            backups.add(value);
            return this;
        }

        /** @param value the explanation of the verdict @return this */
        public Builder verdict(final String value) {
            verdict = value;
            return this;
        }

        /** @param value why the verdict is what it is, as data, or null @return this */
        public Builder explanation(final VerdictExplanation value) {
            explanation = value;
            return this;
        }

        /** @param value the id of the point this one reverts @return this */
        public Builder revertOf(final long value) {
            revertOf = value;
            return this;
        }

        /** @param name an attribute @param value its value @return this */
        public Builder attribute(final String name, final String value) {
            attributes.put(name, value);
            return this;
        }

        /** @param name an attribute to remove @return this */
        public Builder removeAttribute(final String name) {
            attributes.remove(name);
            return this;
        }

        /** Records a point that already runs (see {@link PointStatus#ADOPTED}). @return this */
        public Builder adopted() {
            status = PointStatus.ADOPTED;
            return this;
        }

        /**
         * Sets the id; {@link Ledger#record} replaces it with the next id, so only a point that is not recorded (a
         * dry run's preview) keeps it.
         *
         * @param value the id
         * @return this
         */
        public Builder id(final long value) {
            id = value;
            return this;
        }

        Builder status(final PointStatus value) {
            status = value;
            return this;
        }

        Builder owner(final String value) {
            owner = value;
            return this;
        }

        Builder createdAt(final Instant value) {
            createdAt = value;
            return this;
        }

        Builder updatedAt(final Instant value) {
            updatedAt = value;
            return this;
        }

        Builder deployedAt(final Instant value) {
            deployedAt = value;
            return this;
        }

        Builder decidedAt(final Instant value) {
            decidedAt = value;
            return this;
        }

        PointStatus status() {
            return status;
        }

        /** @return the point */
        public RollbackPoint build() {
            return new RollbackPoint(id, environment, source, artifacts, gitCommit, parameters, dataVersion, backups,
                    status, verdict, revertOf, owner, createdAt, updatedAt, deployedAt, decidedAt, attributes,
                    explanation, dataHeads);
        }
    }
}
