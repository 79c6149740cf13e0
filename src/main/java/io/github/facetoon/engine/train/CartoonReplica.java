package io.github.facetoon.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.Autograd;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.Tensors;
import io.github.facetoon.engine.loss.CartoonObjective;
import io.github.facetoon.engine.loss.ContentLoss;
import io.github.facetoon.engine.loss.LandmarkLoss;
import io.github.facetoon.engine.loss.LsganLoss;
import io.github.facetoon.engine.loss.TotalVariationLoss;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.perception.FeatureNetwork;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.perception.LandmarkNetwork;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.representation.StructureRepresentation;
import io.github.facetoon.engine.representation.SurfaceRepresentation;
import io.github.facetoon.engine.representation.TextureRepresentation;
import io.github.facetoon.engine.representation.TextureRepresentation.ColorShift;
import io.github.facetoon.engine.vision.ImageTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;

/**
 * One copy of the cartoonizer's networks on one device, with the frozen perception networks its loss terms need,
 * and the forward and backward passes of one training step over its share of the batch. A single-device training
 * has one replica; a data-parallel one has one per GPU ({@link CartoonTrainingLoop}).
 *
 * <p>A pass leaves the gradients of the step in the replica's parameters: the generator's from the weighted sum of
 * the six terms, the discriminators' from their LSGAN losses on real cartoons and the detached fake. The
 * optimisers (which live with replica 0) apply them afterwards; the discriminator pass never touches the
 * generator's gradients, so the two updates can follow both passes.
 */
final class CartoonReplica implements AutoCloseable {

    /** Guided-filter ε of the generator's output during training (White-box {@code train.py}). */
    static final float TRAIN_FILTER_EPS = 1e-2f;

    final Device device;
    final NDManager manager;
    final CartoonNetworks networks;
    final List<Parameter> generatorParameters;
    final List<Parameter> discriminatorParameters;
    final FeatureNetwork features;
    /** The structure term's network: {@link #features} itself unless another was chosen ({@code --structure_net}). */
    final FeatureNetwork structureFeatures;
    final LandmarkNetwork landmarks;
    final GuidedFilter postFilter = new GuidedFilter(1, TRAIN_FILTER_EPS);
    final SurfaceRepresentation surface = new SurfaceRepresentation();
    final TextureRepresentation texture = new TextureRepresentation();
    final StructureRepresentation structure = new StructureRepresentation();
    private final LandmarkLoss landmarkLoss;
    private final ParameterStore store;
    private final int size;
    /** The landmark net's view: the centred square that frames the face as the net expects. */
    final int viewOffset;
    final int viewSize;
    /** Time this replica's thread waited for superpixel maps (written by that thread only). */
    volatile long superpixelWaitNanos;

    CartoonReplica(Device device, long seed, int size, FeatureNetwork features, LandmarkNetwork landmarks) {
        this(device, seed, size, features, features, landmarks);
    }

    CartoonReplica(Device device, long seed, int size, FeatureNetwork features, FeatureNetwork structureFeatures,
            LandmarkNetwork landmarks) {
        this.device = device;
        this.structureFeatures = structureFeatures;
        this.manager = NDManager.newBaseManager(device);
        this.networks = CartoonNetworks.create(manager, seed);
        this.generatorParameters = NetworkParameters.trainable(networks.generator());
        this.discriminatorParameters = NetworkParameters.trainable(networks.surfaceDiscriminator(),
                networks.textureDiscriminator());
        this.features = features;
        this.landmarks = landmarks;
        this.landmarkLoss = new LandmarkLoss(landmarks);
        this.store = new ParameterStore(manager, false);
        this.size = size;
        // Training photos are face crops 1 + 2·margin times the detector's box; the landmark net expects a crop
        // DETECTION_SCALE times the box, so it looks at the centred square of that size.
        this.viewSize = Math.max(8, (int) Math.round(size * LandmarkDetector.DETECTION_SCALE
                / (1 + 2 * TrainingLoops.FACE_MARGIN)));
        this.viewOffset = (size - viewSize) / 2;
    }

    /**
     * The loss values of one replica's passes, on the host.
     *
     * @param names term names in order
     * @param values their values on this replica's share of the batch
     * @param spread the output's standard deviation per image, averaged over the share (near 0: a flat image)
     * @param saturation the fraction of the output's values at the ends of the range (near 1: a two-colour image)
     * @param detail the output's RMS difference between neighbouring pixels over the photos' (near 0: no detail left)
     */
    record Losses(List<String> names, float[] values, double spread, double saturation, double detail) {}

    /**
     * Runs the generator pass and the discriminator pass over this replica's share of a step's batch.
     *
     * @param photos the share's photos (CHW RGB in [-1,1])
     * @param cartoons the share's cartoons
     * @param contentTargets what the content term compares the output with (the photos' cartoon-filter renderings
     *     for {@code --target cartoon}); null: the photos themselves, as White-box does
     * @param faces for each photo whether it has a face (null: all count)
     * @param w the step's weights
     * @param shift the step's colour shift, shared by every replica
     * @param contentScale maps this share's mean |F(photo)| to the whole batch's (identity for one replica), so
     *     that the content and structure terms are relative to the same normaliser as without data parallelism
     * @param beforeBackward runs between the generator's forward and backward pass (a test hook)
     * @return the loss values
     */
    Losses pass(float[][] photos, float[][] cartoons, float[][] contentTargets, boolean[] faces, LossWeights w, ColorShift shift,
                DoubleUnaryOperator contentScale, Runnable beforeBackward) {
        try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = ImageTensors.toBatch(sm, photos, size, size);
            NDArray cartoon = ImageTensors.toBatch(sm, cartoons, size, size);
            NDArray fake;
            CartoonObjective objective = new CartoonObjective(w, photo.getManager());
            // Generator pass.
            NetworkParameters.zeroGradients(generatorParameters);
            try (Autograd gc = Autograd.record()) {
                // (N,3,S,S) -> (N,3,S,S), then the edge-preserving filter guided by the photo
                fake = postFilter.filter(photo, run(networks.generator(), photo, true));
                StructureRepresentation.Pending pending = objective.uses(LossTerm.STRUCTURE)
                        ? structure.submit(fake.stopGradient()) : null;
                objective.add(LossTerm.TV, () -> TotalVariationLoss.compute(fake));
                objective.add(LossTerm.SURFACE,
                        () -> LsganLoss.generator(run(networks.surfaceDiscriminator(), surface.apply(fake), true)));
                objective.add(LossTerm.TEXTURE,
                        () -> LsganLoss.generator(run(networks.textureDiscriminator(), texture.apply(fake, shift), true)));
                boolean ownStructure = structureFeatures != features;
                boolean structureTerm = objective.uses(LossTerm.STRUCTURE);
                NDArray fakeFeatures = objective.uses(LossTerm.CONTENT) || (structureTerm && !ownStructure)
                        ? features.features(fake) : null;
                // The content target on the device only when a term compares with it.
                NDArray target = contentTargets == null || (fakeFeatures == null && !(ownStructure && structureTerm))
                        ? photo : ImageTensors.toBatch(sm, contentTargets, size, size);
                NDArray photoFeatures = fakeFeatures == null ? null : features.features(target);
                NDArray norm = photoFeatures != null ? normaliser(photoFeatures, contentScale) : null;
                objective.add(LossTerm.CONTENT, () -> ContentLoss.distance(photoFeatures, fakeFeatures, norm));
                objective.add(LossTerm.LANDMARK, () -> landmarkLoss.compute(
                        landmarkView(fake), landmarkView(photo), faceMask(sm, faces)));
                if (ownStructure) {
                    // Its own relative scale: normalised by its features of the content target (per share when the
                    // batch is split across GPUs).
                    objective.add(LossTerm.STRUCTURE, () -> ContentLoss.distance(
                            structureFeatures.features(awaitStructure(pending, sm)), structureFeatures.features(fake),
                            ContentLoss.normaliser(structureFeatures.features(target))));
                } else {
                    objective.add(LossTerm.STRUCTURE, () -> ContentLoss.distance(
                            features.features(awaitStructure(pending, sm)), fakeFeatures, norm));
                }
                beforeBackward.run();
                gc.backward(objective.total());
            }
            // Discriminator pass on the detached fake; it starts from zero gradients, so what the generator pass
            // sent into the discriminators is dropped, as it must be.
            NDArray fakeDetached = fake.stopGradient();
            NDArray[] discriminators;
            NetworkParameters.zeroGradients(discriminatorParameters);
            try (Autograd gc = Autograd.record()) {
                NDArray dSurface = LsganLoss.discriminator(
                        run(networks.surfaceDiscriminator(), surface.apply(cartoon), true),
                        run(networks.surfaceDiscriminator(), surface.apply(fakeDetached), true));
                NDArray dTexture = LsganLoss.discriminator(
                        run(networks.textureDiscriminator(), texture.apply(cartoon, shift), true),
                        run(networks.textureDiscriminator(), texture.apply(fakeDetached, shift), true));
                gc.backward(dSurface.add(dTexture));
                discriminators = new NDArray[] {dSurface, dTexture};
            }
            List<String> names = new ArrayList<>();
            List<NDArray> values = new ArrayList<>();
            objective.terms().forEach((term, value) -> {
                names.add(term.key());
                values.add(value);
            });
            names.add(LossTerm.TOTAL_KEY);
            values.add(objective.total());
            names.add(LossTerm.SURFACE_DISCRIMINATOR_KEY);
            values.add(discriminators[0]);
            names.add(LossTerm.TEXTURE_DISCRIMINATOR_KEY);
            values.add(discriminators[1]);
            values.add(spread(fakeDetached));
            values.add(saturation(fakeDetached));
            values.add(detail(fakeDetached, photo));
            // One device-to-host copy for all scalars (a single sync point per pass).
            float[] v = NDArrays.stack(new NDList(values)).toType(DataType.FLOAT32, false).toFloatArray();
            int n = names.size();
            return new Losses(names, java.util.Arrays.copyOf(v, n), v[n], v[n + 1], v[n + 2]);
        }
    }

    /** (N,C,H,W) -> scalar: the standard deviation of each image's pixels, averaged over the images. */
    static NDArray spread(NDArray images) {
        NDArray flat = images.reshape(images.getShape().get(0), -1);
        NDArray centred = flat.sub(flat.mean(new int[] {1}, true));
        return centred.square().mean(new int[] {1}).sqrt().mean().toType(DataType.FLOAT32, false);
    }

    /**
     * (N,C,H,W) -> scalar: the fraction of values within {@value #SATURATED_LEVEL} of the ends of [-1,1]. A
     * photo's cartoon has a few per cent there (highlights, black hair); a generator collapsed into two-colour
     * blobs (yellow on black, as the style weights at 10x did) has over 90 %.
     */
    static NDArray saturation(NDArray images) {
        return images.abs().gt(1 - SATURATED_LEVEL).toType(DataType.FLOAT32, false).mean();
    }

    /**
     * (N,C,H,W) x2 -> scalar: sqrt(mean squared difference of neighbouring pixels of the output / the same of the
     * photos). Healthy checkpoints measured 0.6–1 per image on 40 training crops (about 1 over the set); a generator
     * collapsed to a smooth, featureless wash (no face in it, yet a large spread) 0.013.
     */
    static NDArray detail(NDArray output, NDArray photos) {
        return squaredSteps(output).add(1e-8f).div(squaredSteps(photos).add(1e-8f)).sqrt()
                .toType(DataType.FLOAT32, false);
    }

    private static NDArray squaredSteps(NDArray images) {
        Shape s = images.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray dh = images.get(":, :, 1:, :").sub(images.get(":, :, :" + (h - 1) + ", :"));
        NDArray dw = images.get(":, :, :, 1:").sub(images.get(":, :, :, :" + (w - 1)));
        return dh.square().mean().add(dw.square().mean());
    }

    /** How near the ends of [-1,1] a value counts as saturated (5 of 255 levels in the saved image). */
    static final double SATURATED_LEVEL = 0.04;

    /**
     * Mean |F(photo)| of this share, on the host: what data-parallel replicas exchange to agree on one
     * normaliser.
     */
    static double featureMean(NDArray photoFeatures) {
        return photoFeatures.stopGradient().abs().mean().toType(DataType.FLOAT64, false).getDouble();
    }

    private static NDArray normaliser(NDArray photoFeatures, DoubleUnaryOperator contentScale) {
        NDArray local = ContentLoss.normaliser(photoFeatures);
        if (contentScale == null) {
            return local;
        }
        double mean = featureMean(photoFeatures);
        double global = contentScale.applyAsDouble(mean);
        // detached: a scale of the share's own normaliser to the batch's
        return Tensors.mul(local, (global + ContentLoss.NORMALISER_EPSILON) / (mean + ContentLoss.NORMALISER_EPSILON));
    }

    NDArray run(Block block, NDArray input, boolean training) {
        return block.forward(store, new NDList(input), training).singletonOrThrow();
    }

    /**
     * The inter-ocular distance (outer eye corners, landmarks 36 and 45) of each face crop, in pixels of the crop,
     * as the landmark term sees it; NaN where the net finds no usable face.
     *
     * @param photos (N,3,S,S) training crops
     * @return N distances
     */
    double[] interOcularDistances(NDArray photos) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float[] p = landmarks.predict(landmarkView(photos)).toFloatArray();   // (N,68,2) in [0,1] of the view
            int n = (int) photos.getShape().get(0);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                int r = (i * 68 + 36) * 2;
                int l = (i * 68 + 45) * 2;
                double iod = Math.hypot(p[l] - p[r], p[l + 1] - p[r + 1]);
                out[i] = iod >= LandmarkLoss.MIN_INTER_OCULAR ? iod * viewSize : Double.NaN;
            }
            return out;
        }
    }

    /** The centred square the landmark net looks at: (N,3,S,S) -> (N,3,v,v), differentiable. */
    NDArray landmarkView(NDArray images) {
        String r = viewOffset + ":" + (viewOffset + viewSize);
        return images.get(new NDIndex(":, :, " + r + ", " + r));
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

    /** Waits for the superpixel maps, adding the time spent to {@link #superpixelWaitNanos}. */
    private NDArray awaitStructure(StructureRepresentation.Pending pending, NDManager sm) {
        long start = System.nanoTime();
        NDArray maps = structure.await(pending, sm);
        superpixelWaitNanos += System.nanoTime() - start;
        return maps;
    }

    @Override
    public void close() {
        structure.close();
        features.close();
        if (structureFeatures != features) {
            structureFeatures.close();
        }
        landmarks.close();
        networks.close();
        manager.close();
    }
}
