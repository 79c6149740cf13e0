package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.Tensors;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The face-api face recognition network (a port of dlib's ResNet face descriptor), frozen: maps a face crop to
 * a 128-d identity descriptor, differentiable with respect to the crop. Meant for an identity-preservation loss
 * term (distance between the descriptors of a photo and its cartoon).
 *
 * <p>Architecture (face-api {@code FaceRecognitionNet}): RGB in [0,255] minus the mean (122.782, 117.001,
 * 104.298), divided by 255; a 7×7 stride-2 "valid" convolution and a 3×3 stride-2 max-pool; residual stages of
 * 32, 64, 128 and 256 channels, where each down-sampling block uses a 3×3 stride-2 "valid" convolution, a
 * 2×2 average-pooled shortcut padded with zero channels, and a zero row and column when the two paths differ
 * in size; every convolution has a bias and a per-channel affine "scale" layer (folded into it at load time);
 * global average pooling and a 256×128 matrix. face-api resizes crops to 150×150; {@link #descriptor} does the
 * same, bilinearly and differentiably. The weights are constants that never require gradients.
 */
public final class FaceDescriptorNetwork implements AutoCloseable {

    /** Manifest of the face recognition weights. */
    public static final String MANIFEST = "face_recognition_model-weights_manifest.json";
    /** Side of the square input face-api feeds the network. */
    public static final int INPUT_SIZE = 150;
    /** Length of the descriptor. */
    public static final int DESCRIPTOR_SIZE = 128;

    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    /** Residual stages in order; names ending in "_down" halve the size. */
    static final String[] STAGES = {"conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1", "conv64_2",
        "conv64_3", "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2",
        "conv256_down_out"};

    private final NDManager manager;
    private final NDArray mean;
    private final Conv stem;
    private final Conv[][] blocks;
    private final NDArray fc;

    /** A convolution with its scale layer folded in: weight (O,I,k,k), bias (O). */
    private record Conv(NDArray weight, NDArray bias) {}

    private FaceDescriptorNetwork(TfjsWeights w, Device device) {
        manager = NDManager.newBaseManager(device);
        manager.setName("face-descriptor");
        try {
            mean = manager.create(MEAN_RGB, new Shape(1, 3, 1, 1));
            stem = load(w, "conv32_down", 7);
            blocks = new Conv[STAGES.length][];
            for (int i = 0; i < STAGES.length; i++) {
                blocks[i] = new Conv[] {load(w, STAGES[i] + "/conv1", 3), load(w, STAGES[i] + "/conv2", 3)};
            }
            fc = manager.create(w.tensor("fc", 256, DESCRIPTOR_SIZE).values(), new Shape(256, DESCRIPTOR_SIZE));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private Conv load(TfjsWeights w, String prefix, int k) {
        TfjsWeights.Tensor filters = w.tensor(prefix + "/conv/filters");
        long[] s = filters.shape();
        if (s.length != 4 || s[0] != k || s[1] != k) {
            throw new IllegalArgumentException(w.source() + ": tensor '" + prefix + "/conv/filters' is not "
                    + k + "x" + k);
        }
        int in = (int) s[2];
        int out = (int) s[3];
        float[] oihw = TfConvolutions.hwioToOihw(filters.values(), s);
        float[] bias = w.tensor(prefix + "/conv/bias", out).values().clone();
        float[] scale = w.tensor(prefix + "/scale/weights", out).values();
        float[] shift = w.tensor(prefix + "/scale/biases", out).values();
        int per = in * k * k;
        for (int o = 0; o < out; o++) {
            // (conv(x) + b)·s + t = conv_{W·s}(x) + (b·s + t)
            for (int j = 0; j < per; j++) {
                oihw[o * per + j] *= scale[o];
            }
            bias[o] = bias[o] * scale[o] + shift[o];
        }
        return new Conv(manager.create(oihw, new Shape(out, in, k, k)), manager.create(bias));
    }

    /**
     * Opens the network from the shipped weights.
     *
     * @param device where it runs
     * @return the network
     * @throws IOException when the shipped weights are missing or damaged (the message names the file)
     */
    public static FaceDescriptorNetwork openDefault(Device device) throws IOException {
        return open(null, device);
    }

    /**
     * Opens the network.
     *
     * @param manifest a {@code face_recognition_model-weights_manifest.json} with its shard beside it, or null
     *     for the shipped weights
     * @param device where it runs
     * @return the network
     * @throws IOException when the weights are missing or damaged (the message names the file)
     */
    public static FaceDescriptorNetwork open(Path manifest, Device device) throws IOException {
        String source = manifest != null ? manifest.toString()
                : MobileNetFeatureNetwork.RESOURCE_FOLDER + "/" + MANIFEST;
        TfjsWeights weights;
        try {
            weights = manifest != null ? TfjsWeights.fromFile(manifest)
                    : TfjsWeights.fromResource(MobileNetFeatureNetwork.RESOURCE_FOLDER, MANIFEST);
        } catch (IOException e) {
            throw new IOException("cannot read the face descriptor weights " + source + ": " + e.getMessage(), e);
        }
        try {
            return new FaceDescriptorNetwork(weights, device);
        } catch (IllegalArgumentException e) {
            throw new IOException("the face descriptor weights " + source + " do not fit the network: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Computes identity descriptors, differentiable with respect to {@code faces}.
     *
     * @param faces (N,3,H,W) RGB in [-1,1], square face crops (resized to 150×150 inside)
     * @return (N,128) descriptors (face-api: the same person when the Euclidean distance is below about 0.6)
     */
    public NDArray descriptor(NDArray faces) {
        NDArray x = faces;
        if (faces.getShape().get(2) != INPUT_SIZE || faces.getShape().get(3) != INPUT_SIZE) {
            // (N,3,H,W) -> (N,3,150,150), bilinear without corner alignment as tf.image.resizeBilinear
            x = faces.getNDArrayInternal().interpolation(new long[] {INPUT_SIZE, INPUT_SIZE}, 1, false);
        }
        // (N,3,150,150) -> (N,256,4,4)
        NDArray map = trunk(x, STAGES.length);
        // global average: (N,256,4,4) -> (N,256,16) -> (N,256) (DJL's PyTorch mean takes one axis at a time);
        // then (N,256)·(256,128) -> (N,128)
        Shape s = map.getShape();
        return map.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}).matMul(fc);
    }

    /**
     * Runs the convolutional trunk up to and including a residual stage, at the input's own resolution.
     *
     * @param images (N,3,H,W) RGB in [-1,1]
     * @param stages how many entries of {@link #STAGES} to run (0: stem and max-pool only)
     * @return the feature map after those stages
     */
    NDArray trunk(NDArray images, int stages) {
        // [-1,1] -> [0,255] - mean -> /255
        NDArray x = Tensors.div(Tensors.mul(images.add(1f), 127.5).sub(mean), 255);
        // stem: (N,3,H,W) -> (N,32,(H-7)/2+1,...) -> max-pool 3/2 "valid"
        x = convLayer(x, stem, 2, 0, true);
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
        for (int i = 0; i < stages; i++) {
            x = STAGES[i].endsWith("_down") || STAGES[i].endsWith("_down_out")
                    ? residualDown(x, blocks[i]) : residual(x, blocks[i]);
        }
        return x;
    }

    private static NDArray convLayer(NDArray x, Conv c, int stride, int pad, boolean relu) {
        NDArray out = Conv2d.conv2d(x, c.weight(), c.bias(), new Shape(stride, stride), new Shape(pad, pad),
                new Shape(1, 1), 1).singletonOrThrow();
        return relu ? out.getNDArrayInternal().relu() : out;
    }

    private static NDArray residual(NDArray x, Conv[] c) {
        // conv-relu, conv, + shortcut, relu; 3x3 "same" (symmetric padding 1 at stride 1)
        NDArray out = convLayer(x, c[0], 1, 1, true);
        out = convLayer(out, c[1], 1, 1, false);
        return out.add(x).getNDArrayInternal().relu();
    }

    private static NDArray residualDown(NDArray x, Conv[] c) {
        // main path: 3x3 stride 2 "valid" conv-relu, then 3x3 "same" conv: (N,C,h,w) -> (N,C',(h-3)/2+1,...)
        NDArray out = convLayer(x, c[0], 2, 0, true);
        out = convLayer(out, c[1], 1, 1, false);
        // shortcut: 2x2 average pool "valid": (N,C,h,w) -> (N,C,h/2,w/2)
        NDArray pooled = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
        Shape o = out.getShape();
        Shape p = pooled.getShape();
        if (o.get(2) != p.get(2) || o.get(3) != p.get(3)) {
            // face-api appends one zero row (bottom) and one zero column (right) to the main path
            out = out.pad(new Shape(0, 1, 0, 1), 0);
        }
        if (o.get(1) != p.get(1)) {
            // the shortcut gets zero channels after its own: (N,C,..) -> (N,C',..)
            pooled = pooled.pad(new Shape(0, 0, 0, 0, 0, o.get(1) - p.get(1)), 0);
        }
        return pooled.add(out).getNDArrayInternal().relu();
    }

    /** The constant weight arrays, for tests that check they stay frozen. */
    List<NDArray> weights() {
        List<NDArray> all = new ArrayList<>();
        all.add(stem.weight());
        all.add(stem.bias());
        for (Conv[] b : blocks) {
            for (Conv c : b) {
                all.add(c.weight());
                all.add(c.bias());
            }
        }
        all.add(fc);
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
