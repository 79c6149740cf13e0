package io.github.facetoon.engine.train;

import com.google.gson.JsonObject;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.model.ModelScale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints: what it saves (the training state, its header, the base generator it carries for the
 * strength control, its scale) and what it restores on a resume or a roll-back, with the checks that keep a run from
 * resuming what it cannot continue.
 */
final class RunCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);

    private final TrainingConfig config;
    private final CheckpointStore store;
    private final Consumer<TrainingEvent> events;
    /** The base generator this run's checkpoints carry (see {@link #baseOf}); null when none. */
    private byte[] baseGenerator;
    /** The scale a resumed checkpoint recorded, kept when this loop does not measure one. */
    private JsonObject carriedScale;

    /**
     * @param config the run's configuration
     * @param store the run's folder
     * @param events receives notices and saved checkpoints
     */
    RunCheckpoints(TrainingConfig config, CheckpointStore store, Consumer<TrainingEvent> events) {
        this.config = config;
        this.store = store;
        this.events = events;
    }

    /**
     * A fresh run that starts its generator from a file keeps that file's base for its models.
     *
     * @param init the file the generator starts from
     * @return whether it has a base (a trained model without one offers strength by blending only)
     */
    boolean startFrom(CheckpointFile init) {
        baseGenerator = baseOf(init);
        return baseGenerator != null;
    }

    /**
     * Loads a training state into the loop (a resume or a roll-back): the networks, the optimisers' moments when the
     * file has them, the weights and, for a compact state, the rate it recorded.
     *
     * @param loop the loop
     * @param file a full or compact training state of this run's phase and target
     * @param weights the run's live weights, set to the file's
     * @throws IOException when the file cannot be resumed by this run, saying why
     */
    void restore(TrainingLoop loop, CheckpointFile file, LiveLossWeights weights) throws IOException {
        CheckpointHeader h = CheckpointHeader.of(file.header());
        if (!h.isTrainingState()) {
            throw new IOException("cannot resume from a generator-only checkpoint; use --init to start from it");
        }
        int size = h.imageSize();
        if (h.phase().orElse(null) != config.phase()) {
            throw new IOException("cannot resume: the checkpoint is from " + h.phase().map(p -> p.name().toLowerCase(
                    java.util.Locale.ROOT)).orElse("an unknown phase") + ", this run is "
                    + config.phase().name().toLowerCase(java.util.Locale.ROOT));
        }
        TrainingConfig.Target trainedToward = h.target();
        if (trainedToward != config.target()) {
            throw new IOException("cannot resume: the checkpoint was " + (config.phase() == TrainingConfig.Phase.PRETRAIN
                    ? "pretrained" : "trained") + " toward the " + trainedToward.id() + ", this run toward the "
                    + config.target().id() + "; resume with --target " + trainedToward.id());
        }
        if (size != config.imageSize()) {
            LOG.info("resuming a run trained at {} px with image size {}", size, config.imageSize());
        }
        loop.loadState(file);
        h.weights().ifPresent(weights::set);
        if (h.isCompact()) {
            h.learningRate().ifPresent(loop::setLearningRate);
            events.accept(new TrainingEvent.Notice(h.iteration(),
                    "resumed from a compact training state: the optimisers' moments start afresh"));
        }
    }

    /**
     * The base generator a model fine-tuned from {@code init} keeps for its strength control: the base the file
     * records, else the file's own generator when it is a pretraining (the reconstruction network); null for a
     * trained model that records none.
     */
    static byte[] baseOf(CheckpointFile init) {
        if (init.sections().containsKey(CheckpointFile.BASE_GENERATOR)) {
            return init.section(CheckpointFile.BASE_GENERATOR);
        }
        boolean pretrained = CheckpointHeader.of(init.header()).isPretraining();
        return pretrained && init.sections().containsKey(PretrainLoop.GENERATOR) ? init.section(PretrainLoop.GENERATOR) : null;
    }

    /**
     * What a resumed run keeps from its checkpoint besides the training state: the base generator and the scale.
     *
     * @param file the checkpoint resumed from
     */
    void carryFrom(CheckpointFile file) {
        baseGenerator = file.sections().get(CheckpointFile.BASE_GENERATOR);
        if (file.header().has(ModelScale.HEADER_KEY)) {
            carriedScale = file.header().getAsJsonObject(ModelScale.HEADER_KEY);
        }
    }

    /**
     * Saves the loop's state atomically as the checkpoint of an iteration and prunes old ones.
     *
     * @param loop the loop
     * @param it the iteration
     * @param w the weights in force
     * @return the file written
     * @throws IOException when it cannot be written
     */
    Path save(TrainingLoop loop, int it, LossWeights w) throws IOException {
        JsonObject h = CheckpointHeader.create(config, it, w, CheckpointHeader.KIND_FULL);
        h.addProperty("learningRate", loop.learningRate());
        h.addProperty("featureNetwork", loop.featureNetwork());
        if (loop.faceIod().isPresent()) {
            h.add(ModelScale.HEADER_KEY, new ModelScale(config.imageSize(), loop.faceIod().getAsDouble(), true).toJson());
        } else if (carriedScale != null) {
            h.add(ModelScale.HEADER_KEY, carriedScale.deepCopy());
        }
        Map<String, byte[]> sections = new LinkedHashMap<>(loop.saveState());
        if (baseGenerator != null) {
            sections.put(CheckpointFile.BASE_GENERATOR, baseGenerator);
        }
        Path target = store.pathFor(it);
        new CheckpointFile(h, sections).write(target);
        events.accept(new TrainingEvent.CheckpointSaved(it, target));
        try {
            store.prune();
        } catch (IOException e) {
            LOG.warn("could not prune old checkpoints: {}", e.getMessage());
        }
        return target;
    }
}
