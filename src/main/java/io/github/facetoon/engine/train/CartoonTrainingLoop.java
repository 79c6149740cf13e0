package io.github.facetoon.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.data.TrainingData;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.CartoonNetworks.Network;
import io.github.facetoon.engine.representation.LandmarkRepresentation;
import io.github.facetoon.engine.representation.TextureRepresentation.ColorShift;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
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
 * <p>Data parallelism: with several devices the loop has one {@link CartoonReplica} per device; each takes its
 * share of the batch on its own thread, and {@link DataParallel} averages the gradients into the first replica,
 * whose optimisers update it, and copies its parameters back to the others. With one device the loop runs the
 * single replica on the engine thread.
 *
 * <p>Deviation: the original recomputes G(x) for the discriminator step after updating G; we reuse the
 * detached fake of the generator step (the usual GAN practice), which saves one generator forward pass.
 */
final class CartoonTrainingLoop implements TrainingLoop {

    static final String SURFACE_D = "disc_surface";
    static final String TEXTURE_D = "disc_texture";
    static final String ADAM_D = "adam_d";

    private final List<CartoonReplica> replicas;
    /** Data-parallel plumbing; null with one replica (everything then runs on the engine thread). */
    private final DataParallel parallel;
    private final CartoonReplica main;
    private final TrainingData data;
    /** Faces sampled to measure the training face size. */
    static final int FACE_SAMPLE = 64;
    private final OptionalDouble faceIod;
    private final AdamOptimizer adamG;
    private final AdamOptimizer adamD;
    private final long seed;
    private final int size;
    private final float[][] previewPhotos;
    /** Renders the content term's targets for {@code --target cartoon}; null for White-box's photo. */
    private final CartoonTarget contentTarget;
    private final boolean[] previewFaces;
    /** The last step's output spread, saturation and detail (engine thread only). */
    private double lastSpread = Double.NaN;
    private double lastSaturation = Double.NaN;
    private double lastDetail = Double.NaN;
    /** Whether an output of this run has had detail: a generator that starts without (from scratch) has not collapsed. */
    private boolean hadDetail;
    /** Runs between the generator's forward and backward pass; tests use it to provoke garbage collection. */
    Runnable beforeBackward = () -> { };
    /** Runs after the gradients are complete (averaged, with several replicas) and before the optimisers; tests. */
    Runnable beforeUpdate = () -> { };

    /**
     * Creates the loop over one replica per device.
     *
     * @param config the configuration
     * @param replicas one per device, the first one holding the optimisers; the loop closes them
     * @param data the training data; the loop closes it
     */
    CartoonTrainingLoop(TrainingConfig config, List<CartoonReplica> replicas, TrainingData data) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one replica");
        }
        if (config.batchSize() < replicas.size()) {
            throw new IllegalArgumentException("a batch of " + config.batchSize() + " cannot be split across "
                    + replicas.size() + " devices; use --batch_size " + replicas.size() + " or more");
        }
        this.replicas = List.copyOf(replicas);
        this.main = replicas.get(0);
        this.parallel = replicas.size() > 1 ? new DataParallel(replicas) : null;
        this.data = data;
        this.seed = config.seed();
        this.size = config.imageSize();
        this.adamG = new AdamOptimizer(main.generatorParameters, main.manager,
                config.learningRate(), config.beta1(), config.beta2());
        this.adamD = new AdamOptimizer(main.discriminatorParameters, main.manager, config.learningRate(),
                config.beta1(), config.beta2());
        if (parallel != null) {
            parallel.broadcast();
        }
        this.faceIod = measureFaceSize(data, main);
        TrainingData.Batch first = data.batch(0);
        this.previewPhotos = java.util.Arrays.copyOf(first.photos(), Math.min(4, first.photos().length));
        this.contentTarget = CartoonTarget.of(config.target(), config.imageSize());
        this.previewFaces = first.photoFaces() == null ? null
                : java.util.Arrays.copyOf(first.photoFaces(), previewPhotos.length);
    }

    /**
     * The median inter-ocular distance of the training faces in pixels of a training crop, measured on the crops
     * the training draws (up to {@value #FACE_SAMPLE} faces from batches the training itself will not reuse first);
     * empty when the photos hold no face.
     */
    private static OptionalDouble measureFaceSize(TrainingData data, CartoonReplica replica) {
        List<Double> found = new ArrayList<>();
        for (int b = 1; b <= 24 && found.size() < FACE_SAMPLE; b++) {
            TrainingData.Batch batch = data.batch(-b);
            if (batch.photoFaces() == null) {
                return OptionalDouble.empty();
            }
            try (NDManager m = replica.manager.newSubManager()) {
                double[] iod = replica.interOcularDistances(batch.photoArray(m));
                for (int i = 0; i < iod.length; i++) {
                    if (batch.photoFaces()[i] && !Double.isNaN(iod[i])) {
                        found.add(iod[i]);
                    }
                }
            }
        }
        if (found.isEmpty()) {
            return OptionalDouble.empty();
        }
        java.util.Collections.sort(found);
        int n = found.size();
        return OptionalDouble.of(n % 2 == 1 ? found.get(n / 2) : (found.get(n / 2 - 1) + found.get(n / 2)) / 2);
    }

    @Override
    public OptionalDouble faceIod() {
        return faceIod;
    }

    /** Replica k (tests). */
    CartoonReplica replica(int k) {
        return replicas.get(k);
    }

    /** The colour shift of an iteration: a function of (seed, iteration) only. */
    ColorShift shiftFor(int iteration) {
        return ColorShift.sample(new Random(seed * 0x9E3779B97F4A7C15L + iteration));
    }

    @Override
    public Map<String, Double> step(int iteration, LossWeights w) {
        TrainingData.Batch batch = data.next(iteration);
        ColorShift shift = shiftFor(iteration);
        Map<String, Double> out = new LinkedHashMap<>();
        float[][] targets = contentTarget == null || (w.content() <= 0 && w.structure() <= 0) ? null
                : contentTarget.render(batch.photos());
        if (parallel == null) {
            CartoonReplica.Losses l = main.pass(batch.photos(), batch.cartoons(), targets, batch.photoFaces(), w, shift, null,
                    beforeBackward);
            for (int i = 0; i < l.values().length; i++) {
                out.put(l.names().get(i), (double) l.values()[i]);
            }
            lastSpread = l.spread();
            lastSaturation = l.saturation();
            lastDetail = l.detail();
            hadDetail |= lastDetail >= CollapseGuard.COLLAPSED_DETAIL;
        } else {
            int[] sizes = DataParallel.shareSizes(batch.photos().length, replicas.size());
            double[] shares = new double[sizes.length];
            int[] from = new int[sizes.length];
            for (int k = 0, at = 0; k < sizes.length; at += sizes[k], k++) {
                shares[k] = (double) sizes[k] / batch.photos().length;
                from[k] = at;
            }
            DataParallel.ContentExchange exchange = new DataParallel.ContentExchange(shares);
            List<CartoonReplica.Losses> all = parallel.runAll(k -> replicas.get(k).pass(
                    slice(batch.photos(), from[k], sizes[k]), slice(batch.cartoons(), from[k], sizes[k]),
                    targets == null ? null : slice(targets, from[k], sizes[k]),
                    batch.photoFaces() == null ? null
                            : java.util.Arrays.copyOfRange(batch.photoFaces(), from[k], from[k] + sizes[k]),
                    w, shift, exchange.forReplica(k), beforeBackward), exchange::abort);
            lastSpread = 0;
            lastSaturation = 0;
            lastDetail = 0;
            for (int k = 0; k < all.size(); k++) {
                lastSpread += shares[k] * all.get(k).spread();
                lastSaturation += shares[k] * all.get(k).saturation();
                lastDetail += shares[k] * all.get(k).detail();
            }
            hadDetail |= lastDetail >= CollapseGuard.COLLAPSED_DETAIL;
            for (int i = 0; i < all.get(0).values().length; i++) {
                double v = 0;
                for (int k = 0; k < all.size(); k++) {
                    v += shares[k] * all.get(k).values()[i];
                }
                out.put(all.get(0).names().get(i), v);
            }
            DataParallel.averageGradients(replicas.stream().map(r -> r.generatorParameters).toList(), shares);
            DataParallel.averageGradients(replicas.stream().map(r -> r.discriminatorParameters).toList(), shares);
        }
        beforeUpdate.run();
        adamG.step();
        adamD.step();
        if (parallel != null) {
            parallel.broadcast();
        }
        return out;
    }

    @Override
    public boolean outputCollapsed() {
        return CollapseGuard.collapsed(lastSpread, lastSaturation, lastDetail, hadDetail);
    }

    private static float[][] slice(float[][] images, int from, int count) {
        return java.util.Arrays.copyOfRange(images, from, from + count);
    }

    @Override
    public InputWaits inputWaits() {
        long superpixels = 0;
        for (CartoonReplica r : replicas) {
            superpixels = Math.max(superpixels, r.superpixelWaitNanos);
        }
        return new InputWaits(data.waitStats().totalWaitNanos(), superpixels);
    }

    @Override
    public List<TrainingEvent.NamedImage> preview(List<String> notes) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = main.manager.newSubManager()) {
            NDArray photo = ImageTensors.toBatch(sm, previewPhotos, size, size);
            NDArray fake = main.postFilter.filter(photo, main.run(main.networks.generator(), photo, false));
            List<TrainingEvent.NamedImage> images = new ArrayList<>();
            images.add(new TrainingEvent.NamedImage("photo", PreviewStrip.of(photo)));
            images.add(new TrainingEvent.NamedImage("output", PreviewStrip.of(fake)));
            images.add(new TrainingEvent.NamedImage("surface", PreviewStrip.of(main.surface.apply(fake))));
            ColorShift mid = new ColorShift(0.299f, 0.587f, 0.114f);
            images.add(new TrainingEvent.NamedImage("texture", PreviewStrip.of(main.texture.apply(fake, mid))));
            images.add(new TrainingEvent.NamedImage("structure", PreviewStrip.of(main.structure.apply(fake, sm))));
            images.add(new TrainingEvent.NamedImage("landmark", landmarkMap(fake, notes)));
            return images;
        }
    }

    /** The landmark map: the points predicted on the output, drawn over it; faceless photos are noted. */
    private io.github.facetoon.engine.vision.PixelImage landmarkMap(NDArray fake, List<String> notes) {
        // (N,68,2) in view coordinates -> whole-image coordinates
        NDArray points = main.landmarks.predict(main.landmarkView(fake)).mul((float) main.viewSize / size)
                .add((float) main.viewOffset / size);
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
        CartoonNetworks networks = main.networks;
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
        PretrainLoop.loadNetwork(main.networks, Network.GENERATOR, checkpoint.section(PretrainLoop.GENERATOR));
        PretrainLoop.loadNetwork(main.networks, Network.SURFACE_DISCRIMINATOR, checkpoint.section(SURFACE_D));
        PretrainLoop.loadNetwork(main.networks, Network.TEXTURE_DISCRIMINATOR, checkpoint.section(TEXTURE_D));
        // A compact state (ModelExport.compact) has no optimiser moments: they start afresh.
        // (Also on a roll-back after a blow-up: moments left NaN by the failed step must not survive it.)
        if (checkpoint.sections().containsKey(PretrainLoop.ADAM_G)) {
            adamG.load(new DataInputStream(new ByteArrayInputStream(checkpoint.section(PretrainLoop.ADAM_G))));
        } else {
            adamG.reset();
        }
        if (checkpoint.sections().containsKey(ADAM_D)) {
            adamD.load(new DataInputStream(new ByteArrayInputStream(checkpoint.section(ADAM_D))));
        } else {
            adamD.reset();
        }
        if (parallel != null) {
            parallel.broadcast();
        }
    }

    @Override
    public void loadGenerator(CheckpointFile checkpoint) throws IOException {
        PretrainLoop.loadNetwork(main.networks, Network.GENERATOR, checkpoint.section(PretrainLoop.GENERATOR));
        if (parallel != null) {
            parallel.broadcast();
        }
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
        return main.features.name();
    }

    @Override
    public void close() {
        if (parallel != null) {
            parallel.close();
        }
        data.close();
        adamG.close();
        adamD.close();
        for (CartoonReplica r : replicas) {
            r.close();
        }
    }
}
