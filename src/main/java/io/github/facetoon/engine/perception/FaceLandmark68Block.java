package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;

/**
 * face-api's 68-point landmark regressor ({@code FaceLandmark68Net}) as a DJL block.
 *
 * <p>Input: (N,3,112,112) RGB in [-1,1]. It is normalised as the package does, {@code (rgb255 − meanRgb) / 255} with
 * {@code meanRgb = [122.782, 117.001, 104.298]}; then four dense blocks (32, 64, 128, 256 channels, each halving the
 * size: 112 → 56 → 28 → 14 → 7), a 7×7 average pool ("valid", stride 2) and a fully connected layer 256 → 136.
 * Output: (N,68,2) points as (x,y) in [0,1] of the input, in the iBUG 300-W order.
 *
 * <p>The architecture follows the package's TypeScript sources ({@code src/faceFeatureExtractor},
 * {@code src/faceLandmarkNet}, {@code src/common}); the weights are the package's
 * {@code face_landmark_68_model} (MIT, see {@code assets/models/PROVENANCE.md}).
 */
public final class FaceLandmark68Block extends AbstractBlock {

    /** Input side length the network was trained for. */
    public static final int INPUT_SIZE = 112;
    /** The package's mean RGB on the 0–255 scale. */
    static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private static final int[] CHANNELS = {32, 64, 128, 256};
    private static final int POINTS = 68;

    private final FaceDenseBlock[] dense = new FaceDenseBlock[CHANNELS.length];
    private final Linear fc;

    /** Creates the block, uninitialised; see {@link #loadShippedWeights}. */
    public FaceLandmark68Block() {
        int in = 3;
        for (int i = 0; i < CHANNELS.length; i++) {
            dense[i] = addChildBlock("dense" + i, new FaceDenseBlock(in, CHANNELS[i], i == 0));
            in = CHANNELS[i];
        }
        fc = addChildBlock("fc", Linear.builder().setUnits(2L * POINTS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray faces = inputs.singletonOrThrow();
        long n = faces.getShape().get(0);
        // [-1,1] -> (rgb255 - mean) / 255 = (x + 1) / 2 - mean / 255, per channel
        NDArray mean = faces.getManager().create(new float[] {MEAN_RGB[0] / 255f, MEAN_RGB[1] / 255f, MEAN_RGB[2] / 255f},
                new Shape(1, 3, 1, 1)).toDevice(faces.getDevice(), false);
        NDArray x = Tensors.mul(faces.add(1f), 0.5).sub(mean);
        // (N,3,112,112) -> (N,32,56,56) -> (N,64,28,28) -> (N,128,14,14) -> (N,256,7,7)
        NDList out = new NDList(x);
        for (FaceDenseBlock block : dense) {
            out = block.forward(ps, out, training);
        }
        // (N,256,7,7) -> (N,256,1,1) -> (N,256)
        NDArray pooled = Pool.avgPool2d(out.singletonOrThrow(), new Shape(7, 7), new Shape(2, 2), new Shape(0, 0),
                false, true).reshape(n, CHANNELS[CHANNELS.length - 1]);
        // (N,256) -> (N,136) -> (N,68,2), interleaved x,y
        NDArray points = fc.forward(ps, new NDList(pooled), training).singletonOrThrow();
        return new NDList(points.reshape(n, POINTS, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), POINTS, 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (FaceDenseBlock block : dense) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        fc.initialize(manager, dataType, new Shape(shape.get(0), shape.get(1)));
    }

    /**
     * Initialises the block as frozen and copies the shipped face-api weights into it; names and shapes are checked.
     *
     * @param manager where the parameters live (the owner's manager)
     * @throws IOException when the weights are missing or do not match the architecture
     */
    public void loadShippedWeights(NDManager manager) throws IOException {
        TfjsWeights weights = TfjsWeights.fromResource("/assets/models/face-api",
                "face_landmark_68_model-weights_manifest.json");
        loadWeights(manager, weights);
    }

    /**
     * Initialises the block as frozen and copies the given tfjs weights into it.
     *
     * @param manager where the parameters live
     * @param weights face-api landmark weights
     */
    public void loadWeights(NDManager manager, TfjsWeights weights) {
        // Frozen before initialisation, so the parameter arrays never require gradients.
        freezeParameters(true);
        initialize(manager, DataType.FLOAT32, new Shape(1, 3, INPUT_SIZE, INPUT_SIZE));
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < dense.length; i++) {
                dense[i].load(weights, "dense" + i, scratch);
            }
            int features = CHANNELS[CHANNELS.length - 1];
            // tfjs (in,out) for x·W -> DJL Linear (out,in)
            TfConvBlock.copy(weights.array(scratch, "fc/weights", features, 2L * POINTS).transpose(), fc, "weight");
            TfConvBlock.copy(weights.array(scratch, "fc/bias", 2L * POINTS), fc, "bias");
        }
    }
}
