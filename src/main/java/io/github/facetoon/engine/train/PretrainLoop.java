package io.github.facetoon.engine.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.data.TrainingData;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.CartoonNetworks.Network;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pretraining (the original project's {@code pretrain.py}, White-box's initialisation): the generator learns to
 * reproduce photos, {@code L = mean|G(x) − x|}, with no guided filter; or, as a stylised warm start, the photos'
 * cartoon-filter rendering, {@code L = mean|G(x) − toon(x)|} ({@link CartoonTarget}).
 */
final class PretrainLoop implements TrainingLoop {

    /** Checkpoint section of the generator's parameters. */
    static final String GENERATOR = "generator";
    static final String ADAM_G = "adam_g";

    private final NDManager manager;
    private final CartoonNetworks networks;
    private final TrainingData data;
    private final AdamOptimizer adamG;
    private final ParameterStore store;
    private final float[][] previewPhotos;
    private final int size;
    /** The target the generator learns, null for the photo itself. */
    private final CartoonTarget cartoonTarget;
    /** The preview photos' targets, rendered once (null for the photo target). */
    private final float[][] previewTargets;

    PretrainLoop(TrainingConfig config, Device device, TrainingData data) {
        this.manager = NDManager.newBaseManager(device);
        this.networks = CartoonNetworks.create(manager, config.seed());
        this.data = data;
        this.size = config.imageSize();
        this.cartoonTarget = CartoonTarget.of(config.target(), size);
        this.store = new ParameterStore(manager, false);
        this.adamG = new AdamOptimizer(NetworkParameters.trainable(networks.generator()), manager,
                config.learningRate(), config.beta1(), config.beta2());
        TrainingData.Batch first = data.batch(0);
        this.previewPhotos = java.util.Arrays.copyOf(first.photos(), Math.min(4, first.photos().length));
        this.previewTargets = cartoonTarget == null ? null : cartoonTarget.render(previewPhotos);
    }

    @Override
    public Map<String, Double> step(int iteration, LossWeights weights) {
        TrainingData.Batch batch = data.next(iteration);
        try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = batch.photoArray(sm);
            NDArray target = cartoonTarget == null ? photo
                    : ImageTensors.toBatch(sm, cartoonTarget.render(batch.photos()), size, size);
            NDArray l1;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                // (N,3,S,S) -> (N,3,S,S)
                NDArray out = networks.generator().forward(store, new NDList(photo), true).singletonOrThrow();
                l1 = out.sub(target).abs().mean();
                gc.backward(l1);
            }
            adamG.step();
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(LossTerm.PRETRAIN_KEY, (double) l1.getFloat());
            return m;
        }
    }

    @Override
    public List<TrainingEvent.NamedImage> preview(List<String> notes) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = ImageTensors.toBatch(sm, previewPhotos, size, size);
            NDArray out = networks.generator().forward(store, new NDList(photo), false).singletonOrThrow();
            List<TrainingEvent.NamedImage> images = new ArrayList<>();
            images.add(new TrainingEvent.NamedImage("photo", PreviewStrip.of(photo)));
            if (previewTargets != null) {
                images.add(new TrainingEvent.NamedImage("target",
                        PreviewStrip.of(ImageTensors.toBatch(sm, previewTargets, size, size))));
            }
            images.add(new TrainingEvent.NamedImage("output", PreviewStrip.of(out)));
            notes.add(cartoonTarget == null
                    ? "pretraining: the generator learns to reproduce the photo; the maps appear in training"
                    : "pretraining toward the cartoon filter's look (a stylised warm start); the maps appear in training");
            return images;
        }
    }

    @Override
    public Map<String, byte[]> saveState() throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put(GENERATOR, CheckpointFile.bytes(out -> networks.save(Network.GENERATOR, out)));
        s.put(ADAM_G, CheckpointFile.bytes(adamG::save));
        return s;
    }

    @Override
    public void loadState(CheckpointFile checkpoint) throws IOException {
        loadGenerator(checkpoint);
        if (checkpoint.sections().containsKey(ADAM_G)) {
            adamG.load(new DataInputStream(new ByteArrayInputStream(checkpoint.section(ADAM_G))));
        } else {
            adamG.reset(); // a compact state has no optimiser moments: they start afresh
        }
    }

    @Override
    public void loadGenerator(CheckpointFile checkpoint) throws IOException {
        loadNetwork(networks, Network.GENERATOR, checkpoint.section(GENERATOR));
    }

    static void loadNetwork(CartoonNetworks nets, Network which, byte[] bytes) throws IOException {
        try {
            nets.load(which, new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (MalformedModelException e) {
            throw new IOException("the checkpoint's " + which.id() + " does not fit this network: " + e.getMessage(), e);
        }
    }

    @Override
    public InputWaits inputWaits() {
        return new InputWaits(data.waitStats().totalWaitNanos(), 0);
    }

    @Override
    public double learningRate() {
        return adamG.learningRate();
    }

    @Override
    public void setLearningRate(double lr) {
        adamG.setLearningRate(lr);
    }

    @Override
    public void close() {
        data.close();
        adamG.close();
        networks.close();
        manager.close();
    }
}
