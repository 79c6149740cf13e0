package io.github.facetoon.engine.perception;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;

/**
 * The frozen, differentiable 68-point landmark network: face-api's {@code face_landmark_68_model} running in DJL.
 *
 * <p>Its parameters never require gradients; gradients of a loss on the points flow through it to the input crop,
 * and from there into whatever produced the crop (the generator during training). Not thread-safe: use it from the
 * engine thread.
 */
public final class FaceLandmarkNet implements LandmarkNetwork {

    /**
     * DJL's code for bilinear interpolation in {@code NDArrayEx.interpolation} (0 nearest, 1 bilinear, 2 area,
     * 3 bicubic; see {@code PtNDArrayEx.getInterpolationMode}). With the PyTorch engine it uses half-pixel centres and,
     * when shrinking, antialiasing (a triangle filter as wide as the scale), which keeps the gradient smooth.
     */
    static final int BILINEAR = 1;

    private final NDManager manager;
    private final FaceLandmark68Block block;
    private final ParameterStore parameters;

    private FaceLandmarkNet(NDManager manager, FaceLandmark68Block block) {
        this.manager = manager;
        this.block = block;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Loads the shipped weights on the CPU.
     *
     * @return the network; close it when done
     * @throws IOException when the weights are missing or damaged
     */
    public static FaceLandmarkNet load() throws IOException {
        return load(Device.cpu());
    }

    /**
     * Loads the shipped weights on a device.
     *
     * @param device where the parameters live
     * @return the network; close it when done
     * @throws IOException when the weights are missing or damaged
     */
    public static FaceLandmarkNet load(Device device) throws IOException {
        EngineRuntime.ensureConfigured();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            FaceLandmark68Block block = new FaceLandmark68Block();
            block.loadShippedWeights(manager);
            return new FaceLandmarkNet(manager, block);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public NDArray predict(NDArray faces) {
        Shape shape = faces.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3) {
            throw new IllegalArgumentException("expected faces as (N,3,H,W), got " + shape);
        }
        if (shape.get(2) != shape.get(3)) {
            throw new IllegalArgumentException("expected square face crops, got " + shape.get(3) + "x" + shape.get(2));
        }
        NDArray input = faces;
        int size = FaceLandmark68Block.INPUT_SIZE;
        if (shape.get(2) != size) {
            // (N,3,H,H) -> (N,3,112,112), bilinear (half-pixel centres, antialiased when shrinking), differentiable
            input = faces.getNDArrayInternal().interpolation(new long[] {size, size}, BILINEAR, false);
        }
        // (N,3,112,112) -> (N,68,2) in [0,1] crop coordinates
        NDArray points = block.forward(parameters, new NDList(input), false).singletonOrThrow();
        points.attach(faces.getManager());
        return points;
    }

    /** The underlying block (frozen), for inspection and tests. */
    public FaceLandmark68Block block() {
        return block;
    }

    @Override
    public void close() {
        manager.close();
    }
}
