package io.github.facetoon.config;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/** JSON form of the configuration records, for checkpoint headers and saved settings. */
public final class ConfigJson {

    private ConfigJson() {}

    /**
     * Writes loss weights as {"tv":..., "surface":..., ...}.
     *
     * @param w the weights
     * @return the JSON object
     */
    public static JsonObject weights(LossWeights w) {
        JsonObject o = new JsonObject();
        for (LossTerm t : LossTerm.values()) {
            o.addProperty(t.key(), w.get(t));
        }
        return o;
    }

    /**
     * Reads loss weights; a missing term takes its default.
     *
     * @param o the JSON object
     * @return the weights
     */
    public static LossWeights weights(JsonObject o) {
        LossWeights w = LossWeights.defaults();
        for (LossTerm t : LossTerm.values()) {
            if (o.has(t.key())) {
                w = w.with(t, o.get(t.key()).getAsDouble());
            }
        }
        return w;
    }

    /**
     * Writes a training configuration.
     *
     * @param c the configuration
     * @return the JSON object
     */
    public static JsonObject training(TrainingConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("phase", c.phase().name());
        o.addProperty("photos", c.photos().toString());
        if (c.cartoons() != null) {
            o.addProperty("cartoons", c.cartoons().toString());
        }
        o.addProperty("totalIter", c.totalIter());
        o.addProperty("batchSize", c.batchSize());
        o.addProperty("imageSize", c.imageSize());
        o.addProperty("saveEvery", c.saveEvery());
        o.addProperty("seed", c.seed());
        o.addProperty("modelVersion", c.modelVersion());
        if (c.init() != null) {
            o.addProperty("init", c.init().toString());
        }
        o.addProperty("learningRate", c.learningRate());
        o.addProperty("beta1", c.beta1());
        o.addProperty("beta2", c.beta2());
        o.add("weights", weights(c.weights()));
        o.addProperty("device", c.device());
        o.addProperty("workspace", c.workspace().toString());
        if (c.structureNet() != null) {
            o.addProperty("structureNet", c.structureNet().toString());
        }
        if (c.contentNet() != null) {
            o.addProperty("contentNet", c.contentNet().toString());
        }
        if (c.target() != TrainingConfig.Target.PHOTO) {
            o.addProperty("target", c.target().id());
        }
        if (c.keepLast() != TrainingConfig.DEFAULT_KEEP_LAST) {
            o.addProperty("keepLast", c.keepLast());
        }
        if (c.faceShare() > 0) {
            o.addProperty("faceShare", c.faceShare());
        }
        return o;
    }

    /**
     * Reads a training configuration written by {@link #training(TrainingConfig)}.
     *
     * @param o the JSON object
     * @return the configuration
     */
    public static TrainingConfig training(JsonObject o) {
        return new TrainingConfig(
                TrainingConfig.Phase.valueOf(o.get("phase").getAsString()),
                Path.of(o.get("photos").getAsString()),
                o.has("cartoons") ? Path.of(o.get("cartoons").getAsString()) : null,
                o.get("totalIter").getAsInt(),
                o.get("batchSize").getAsInt(),
                o.get("imageSize").getAsInt(),
                o.get("saveEvery").getAsInt(),
                o.get("seed").getAsLong(),
                o.get("modelVersion").getAsString(),
                o.has("init") ? Path.of(o.get("init").getAsString()) : null,
                false,
                o.get("learningRate").getAsDouble(),
                o.get("beta1").getAsDouble(),
                o.get("beta2").getAsDouble(),
                weights(o.getAsJsonObject("weights")),
                o.get("device").getAsString(),
                Path.of(o.get("workspace").getAsString()),
                o.has("contentNet") ? Path.of(o.get("contentNet").getAsString()) : null,
                o.has("structureNet") ? Path.of(o.get("structureNet").getAsString()) : null,
                ResumeOverrides.NONE,
                targetOf(o) != null ? TrainingConfig.Target.parse(targetOf(o))
                        : TrainingConfig.Target.PHOTO,
                o.has("keepLast") ? o.get("keepLast").getAsInt() : TrainingConfig.DEFAULT_KEEP_LAST,
                o.has("faceShare") ? o.get("faceShare").getAsDouble() : 0);
    }

    /**
     * The target a configuration records ({@code target}; {@code pretrainTarget} in files written before training
     * could use one too), or null when it records none (White-box's photo).
     *
     * @param config a configuration object
     * @return the target's name, or null
     */
    public static String targetOf(JsonObject config) {
        String key = config.has("target") ? "target" : config.has("pretrainTarget") ? "pretrainTarget" : null;
        return key == null ? null : config.get(key).getAsString();
    }
}
