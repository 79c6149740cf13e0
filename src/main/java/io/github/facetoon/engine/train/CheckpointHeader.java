package io.github.facetoon.engine.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.facetoon.config.ConfigJson;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a checkpoint's or model's header says, read in one place: the JSON object of {@link CheckpointFile#header()}
 * with its keys typed. Entries a file does not have read as empty (older files, generator-only models), and a
 * malformed entry as a {@link CheckpointException}-worthy {@link IllegalStateException} of Gson's, as before.
 *
 * @param kind {@link #KIND_FULL}, {@link #KIND_COMPACT} or {@link #KIND_GENERATOR}
 * @param iteration the iteration it was saved at (0 when not recorded)
 * @param phase the phase it was trained in, if recorded
 * @param modelVersion the run's name, if recorded
 * @param imageSize the training crop size (0 when not recorded)
 * @param savedAt when it was saved, if recorded
 * @param weights the loss weights in force, if recorded
 * @param learningRate the learning rate in force, if recorded
 * @param target what the run kept the generator near ({@link TrainingConfig.Target#PHOTO} when not recorded)
 * @param name the model's display name, if it has one
 */
public record CheckpointHeader(String kind, int iteration, Optional<TrainingConfig.Phase> phase,
                               Optional<String> modelVersion, int imageSize, Optional<Instant> savedAt,
                               Optional<LossWeights> weights, OptionalDouble learningRate, TrainingConfig.Target target,
                               Optional<String> name) {

    /** {@code kind} of a complete training state (networks and optimiser moments). */
    public static final String KIND_FULL = "full";
    /** {@code kind} of a generator-only model. */
    public static final String KIND_GENERATOR = "generator";
    /** {@code kind} of a compact training state: the networks without the optimisers' moments (resumable). */
    public static final String KIND_COMPACT = "compact";

    /**
     * Types a header.
     *
     * @param h the header's JSON
     * @return what it says
     */
    public static CheckpointHeader of(JsonObject h) {
        JsonObject config = h.has("config") && h.get("config").isJsonObject() ? h.getAsJsonObject("config") : null;
        String target = config == null ? null : ConfigJson.targetOf(config);
        return new CheckpointHeader(
                string(h, "kind").orElse(KIND_GENERATOR),
                h.has("iteration") ? h.get("iteration").getAsInt() : 0,
                string(h, "phase").map(TrainingConfig.Phase::valueOf),
                string(h, "modelVersion"),
                h.has("imageSize") ? h.get("imageSize").getAsInt()
                        : config != null && config.has("imageSize") ? config.get("imageSize").getAsInt() : 0,
                string(h, "savedAt").map(Instant::parse),
                h.has("weights") && h.get("weights").isJsonObject()
                        ? Optional.of(ConfigJson.weights(h.getAsJsonObject("weights"))) : Optional.empty(),
                h.has("learningRate") ? OptionalDouble.of(h.get("learningRate").getAsDouble()) : OptionalDouble.empty(),
                target == null ? TrainingConfig.Target.PHOTO : TrainingConfig.Target.parse(target),
                string(h, "name"));
    }

    /**
     * The header of a checkpoint a run writes.
     *
     * @param config the run's configuration
     * @param iteration the iteration
     * @param w the weights in force
     * @param kind {@link #KIND_FULL} or {@link #KIND_GENERATOR}
     * @return the header's JSON
     */
    public static JsonObject create(TrainingConfig config, int iteration, LossWeights w, String kind) {
        JsonObject h = new JsonObject();
        h.addProperty("kind", kind);
        h.addProperty("iteration", iteration);
        h.addProperty("phase", config.phase().name());
        h.addProperty("modelVersion", config.modelVersion());
        h.addProperty("imageSize", config.imageSize());
        h.addProperty("savedAt", Instant.now().toString());
        h.add("weights", ConfigJson.weights(w));
        h.add("config", ConfigJson.training(config));
        return h;
    }

    /** @return whether a run can resume from it (a full or compact training state) */
    public boolean isTrainingState() {
        return KIND_FULL.equals(kind) || KIND_COMPACT.equals(kind);
    }

    /** @return whether it is a compact training state (no optimiser moments) */
    public boolean isCompact() {
        return KIND_COMPACT.equals(kind);
    }

    /** @return whether it comes from pretraining */
    public boolean isPretraining() {
        return phase.orElse(null) == TrainingConfig.Phase.PRETRAIN;
    }

    private static Optional<String> string(JsonObject h, String key) {
        JsonElement e = h.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsString());
    }
}
