package io.github.facetoon.engine.train;

import io.github.facetoon.engine.Tensors;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.data.TrainingData;
import io.github.facetoon.engine.loss.ContentLoss;
import io.github.facetoon.engine.loss.LandmarkLoss;
import io.github.facetoon.engine.loss.LsganLoss;
import io.github.facetoon.engine.loss.TotalVariationLoss;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.CartoonNetworks.Network;
import io.github.facetoon.engine.perception.FeatureNetwork;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.perception.LandmarkNetwork;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.representation.LandmarkRepresentation;
import io.github.facetoon.engine.representation.StructureRepresentation;
import io.github.facetoon.engine.representation.SurfaceRepresentation;
import io.github.facetoon.engine.representation.TextureRepresentation;
import io.github.facetoon.engine.representation.TextureRepresentation.ColorShift;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Full training, White-box Cartoonization (Wang &amp; Yu, CVPR 2020) with a landmark term: a generator half-step
 * on the weighted sum of six terms, then a discriminator half-step for the surface and texture
 * discriminators.
 *
 * <pre>
 *   fake = GF(I = x, p = G(x), r = 1, ε = 1e-2)                         (the original's training filter)
 *   L_G  = w0·TV(fake) + w1·LSGAN_G(Ds(surface(fake))) + w2·LSGAN_G(Dt(texture(fake)))
 *        + w3·d(F(x), F(fake)) + w4·d(F(structure(fake)), F(fake)) + w5·landmark(fake, x)
 *   L_D  = LSGAN_D(Ds(surface(c)), Ds(surface(fake'))) + LSGAN_D(Dt(texture(c)), Dt(texture(fake')))
 * </pre>
 *
 * where c is the cartoon batch and fake' the detached fake of the same step. One colour shift per step is
 * shared by fake and real, derived from (seed, iteration) so a resumed run is exact. The superpixel image is
 * computed on CPU threads while the network works on the adversarial and content terms.
 *
 * <p>Deviation: the original recomputes G(x) for the discriminator step after updating G; we reuse the
 * detached fake of the generator step (the usual GAN practice), which saves one generator forward pass.
 */
final class CartoonTrainingLoop implements TrainingLoop {

    static final String SURFACE_D = "disc_surface";
    static final String TEXTURE_D = "disc_texture";
    static final String ADAM_D = "adam_d";
    /** Guided-filter ε of the generator's output during training (White-box {@code train.py}). */
    static final float TRAIN_FILTER_EPS = 1e-2f;

    private final NDManager manager;
    private final CartoonNetworks networks;
    private final TrainingData data;
    private final FeatureNetwork features;
    private final LandmarkNetwork landmarks;
    private final LandmarkLoss landmarkLoss;
    private final AdamOptimizer adamG;
    private final AdamOptimizer adamD;
    private final ParameterStore store;
    private final GuidedFilter postFilter = new GuidedFilter(1, TRAIN_FILTER_EPS);
    private final SurfaceRepresentation surface = new SurfaceRepresentation();
    private final TextureRepresentation texture = new TextureRepresentation();
    private final StructureRepresentation structure;
    private final long seed;
    private final int size;
    private final float[][] previewPhotos;
    private final boolean[] previewFaces;
    /** Runs between the generator's forward and backward pass; tests use it to provoke garbage collection. */
    Runnable beforeBackward = () -> { };
    /** The landmark net's view: the centred square that frames the face as the net expects. */
    private final int viewOffset;
    private final int viewSize;
    /** Total time the engine thread waited for superpixel maps (written and read on the engine thread). */
    private long superpixelWaitNanos;

    CartoonTrainingLoop(TrainingConfig config, Device device, TrainingData data, FeatureNetwork features,
                        LandmarkNetwork landmarks) {
        this.manager = NDManager.newBaseManager(device);
        this.networks = CartoonNetworks.create(manager, config.seed());
        this.data = data;
        this.features = features;
        this.landmarks = landmarks;
        this.landmarkLoss = new LandmarkLoss(landmarks);
        this.seed = config.seed();
        this.size = config.imageSize();
        this.store = new ParameterStore(manager, false);
        this.structure = new StructureRepresentation();
        this.adamG = new AdamOptimizer(NetworkParameters.trainable(networks.generator()), manager,
                config.learningRate(), config.beta1(), config.beta2());
        this.adamD = new AdamOptimizer(NetworkParameters.trainable(networks.surfaceDiscriminator(),
                networks.textureDiscriminator()), manager, config.learningRate(), config.beta1(), config.beta2());
        TrainingData.Batch first = data.batch(0);
        this.previewPhotos = java.util.Arrays.copyOf(first.photos(), Math.min(4, first.photos().length));
        this.previewFaces = first.photoFaces() == null ? null
                : java.util.Arrays.copyOf(first.photoFaces(), previewPhotos.length);
        // Training photos are face crops 1 + 2·margin times the detector's box; the landmark net expects a crop
        // DETECTION_SCALE times the box, so it looks at the centred square of that size.
        this.viewSize = Math.max(8, (int) Math.round(size * LandmarkDetector.DETECTION_SCALE
                / (1 + 2 * TrainingLoops.FACE_MARGIN)));
        this.viewOffset = (size - viewSize) / 2;
    }

    /** The centred square the landmark net looks at: (N,3,S,S) -> (N,3,v,v), differentiable. */
    private NDArray landmarkView(NDArray images) {
        String r = viewOffset + ":" + (viewOffset + viewSize);
        return images.get(new ai.djl.ndarray.index.NDIndex(":, :, " + r + ", " + r));
    }

    /** 1 for photos with a detected face, 0 for the others; null when every photo counts. */
    private static NDArray faceMask(NDManager m, boolean[] faces) {
        if (faces == null) {
            return null;
        }
        float[] f = new float[faces.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = faces[i] ? 1f : 0f;
        }
        return m.create(f);
    }

    private NDArray run(Block block, NDArray input, boolean training) {
        return block.forward(store, new NDList(input), training).singletonOrThrow();
    }

    /** The colour shift of an iteration: a function of (seed, iteration) only. */
    ColorShift shiftFor(int iteration) {
        return ColorShift.sample(new Random(seed * 0x9E3779B97F4A7C15L + iteration));
    }

    @Override
    public Map<String, Double> step(int iteration, LossWeights w) {
        TrainingData.Batch batch = data.next(iteration);
        ColorShift shift = shiftFor(iteration);
        try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = batch.photoArray(sm);
            NDArray cartoon = batch.cartoonArray(sm);
            List<String> names = new ArrayList<>();
            List<NDArray> values = new ArrayList<>();
            NDArray fake;
            // Generator half-step.
            adamG.zeroGradients();
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                // (N,3,S,S) -> (N,3,S,S), then the edge-preserving filter guided by the photo
                fake = postFilter.filter(photo, run(networks.generator(), photo, true));
                StructureRepresentation.Pending pending = w.structure() > 0 ? structure.submit(fake.stopGradient()) : null;
                NDArray total = photo.getManager().zeros(new ai.djl.ndarray.types.Shape());
                total = addTerm(names, values, total, "tv", w.tv(), () -> TotalVariationLoss.compute(fake));
                total = addTerm(names, values, total, "surface", w.surface(),
                        () -> LsganLoss.generator(run(networks.surfaceDiscriminator(), surface.apply(fake), true)));
                total = addTerm(names, values, total, "texture", w.texture(),
                        () -> LsganLoss.generator(run(networks.textureDiscriminator(), texture.apply(fake, shift), true)));
                NDArray fakeFeatures = w.content() > 0 || w.structure() > 0 ? features.features(fake) : null;
                NDArray photoFeatures = fakeFeatures != null ? features.features(photo) : null;
                NDArray norm = photoFeatures != null ? ContentLoss.normaliser(photoFeatures) : null;
                total = addTerm(names, values, total, "content", w.content(),
                        () -> ContentLoss.distance(photoFeatures, fakeFeatures, norm));
                total = addTerm(names, values, total, "landmark", w.landmark(), () -> landmarkLoss.compute(
                        landmarkView(fake), landmarkView(photo), faceMask(sm, batch.photoFaces())));
                total = addTerm(names, values, total, "structure", w.structure(), () -> ContentLoss.distance(
                        features.features(awaitStructure(pending, sm)), fakeFeatures, norm));
                names.add("g_total");
                values.add(total);
                beforeBackward.run();
                gc.backward(total);
            }
            adamG.step();
            // Discriminator half-step on the detached fake.
            NDArray fakeDetached = fake.stopGradient();
            adamD.zeroGradients();
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray dSurface = LsganLoss.discriminator(
                        run(networks.surfaceDiscriminator(), surface.apply(cartoon), true),
                        run(networks.surfaceDiscriminator(), surface.apply(fakeDetached), true));
                NDArray dTexture = LsganLoss.discriminator(
                        run(networks.textureDiscriminator(), texture.apply(cartoon, shift), true),
                        run(networks.textureDiscriminator(), texture.apply(fakeDetached, shift), true));
                gc.backward(dSurface.add(dTexture));
                names.add("d_surface");
                values.add(dSurface);
                names.add("d_texture");
                values.add(dTexture);
            }
            adamD.step();
            // One device-to-host copy for all scalars (a single sync point per step).
            float[] v = NDArrays.stack(new NDList(values)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < v.length; i++) {
                out.put(names.get(i), (double) v[i]);
            }
            return out;
        }
    }

    /** Waits for the superpixel maps, adding the time spent to {@link #inputWaits()}. */
    private NDArray awaitStructure(StructureRepresentation.Pending pending, NDManager sm) {
        long start = System.nanoTime();
        NDArray maps = structure.await(pending, sm);
        superpixelWaitNanos += System.nanoTime() - start;
        return maps;
    }

    @Override
    public InputWaits inputWaits() {
        return new InputWaits(data.waitStats().totalWaitNanos(), superpixelWaitNanos);
    }

    private static NDArray addTerm(List<String> names, List<NDArray> values, NDArray total, String name,
                                   double weight, java.util.function.Supplier<NDArray> term) {
        if (weight <= 0) {
            return total;
        }
        NDArray t = term.get();
        names.add(name);
        values.add(t);
        return total.add(Tensors.mul(t, weight));
    }

    @Override
    public List<TrainingEvent.NamedImage> preview(List<String> notes) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = ImageTensors.toBatch(sm, previewPhotos, size, size);
            NDArray fake = postFilter.filter(photo, run(networks.generator(), photo, false));
            List<TrainingEvent.NamedImage> images = new ArrayList<>();
            images.add(new TrainingEvent.NamedImage("photo", PreviewStrip.of(photo)));
            images.add(new TrainingEvent.NamedImage("output", PreviewStrip.of(fake)));
            images.add(new TrainingEvent.NamedImage("surface", PreviewStrip.of(surface.apply(fake))));
            ColorShift mid = new ColorShift(0.299f, 0.587f, 0.114f);
            images.add(new TrainingEvent.NamedImage("texture", PreviewStrip.of(texture.apply(fake, mid))));
            images.add(new TrainingEvent.NamedImage("structure", PreviewStrip.of(structure.apply(fake, sm))));
            images.add(new TrainingEvent.NamedImage("landmark", landmarkMap(fake, notes)));
            return images;
        }
    }

    /** The landmark map: the points predicted on the output, drawn over it; faceless photos are noted. */
    private io.github.facetoon.engine.vision.PixelImage landmarkMap(NDArray fake, List<String> notes) {
        // (N,68,2) in view coordinates -> whole-image coordinates
        NDArray points = landmarks.predict(landmarkView(fake)).mul((float) viewSize / size).add((float) viewOffset / size);
        List<io.github.facetoon.engine.vision.PixelImage> drawn = LandmarkRepresentation.draw(fake, points, false);
        for (int i = 0; i < drawn.size(); i++) {
            if (previewFaces != null && !previewFaces[i]) {
                notes.add("preview photo " + (i + 1) + ": no face found, the landmark term is skipped for it");
            }
        }
        return PreviewStrip.of(drawn);
    }

    @Override
    public Map<String, byte[]> saveState() throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put(PretrainLoop.GENERATOR, CheckpointFile.bytes(out -> networks.save(Network.GENERATOR, out)));
        s.put(SURFACE_D, CheckpointFile.bytes(out -> networks.save(Network.SURFACE_DISCRIMINATOR, out)));
        s.put(TEXTURE_D, CheckpointFile.bytes(out -> networks.save(Network.TEXTURE_DISCRIMINATOR, out)));
        s.put(PretrainLoop.ADAM_G, CheckpointFile.bytes(adamG::save));
        s.put(ADAM_D, CheckpointFile.bytes(adamD::save));
        return s;
    }

    @Override
    public void loadState(CheckpointFile checkpoint) throws IOException {
        loadGenerator(checkpoint);
        PretrainLoop.loadNetwork(networks, Network.SURFACE_DISCRIMINATOR, checkpoint.section(SURFACE_D));
        PretrainLoop.loadNetwork(networks, Network.TEXTURE_DISCRIMINATOR, checkpoint.section(TEXTURE_D));
        adamG.load(new DataInputStream(new ByteArrayInputStream(checkpoint.section(PretrainLoop.ADAM_G))));
        adamD.load(new DataInputStream(new ByteArrayInputStream(checkpoint.section(ADAM_D))));
    }

    @Override
    public void loadGenerator(CheckpointFile checkpoint) throws IOException {
        PretrainLoop.loadNetwork(networks, Network.GENERATOR, checkpoint.section(PretrainLoop.GENERATOR));
    }

    @Override
    public double learningRate() {
        return adamG.learningRate();
    }

    @Override
    public void setLearningRate(double lr) {
        adamG.setLearningRate(lr);
        adamD.setLearningRate(lr);
    }

    @Override
    public String featureNetwork() {
        return features.name();
    }

    @Override
    public void close() {
        data.close();
        structure.close();
        features.close();
        landmarks.close();
        adamG.close();
        adamD.close();
        networks.close();
        manager.close();
    }
}
