package io.github.facetoon.engine.perception;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled content feature network: the MobileNetV1 backbone of face-api's SSD face detector, truncated
 * after a mid-level pointwise convolution and frozen.
 *
 * <p>It stands in for VGG19 conv4_4 in White-box Cartoonization's content and structure losses (Wang &amp; Yu,
 * CVPR 2020, Eq. (8) and the structure loss), because VGG weights are not available to us. The default cut,
 * {@code conv_5} before its ReLU6, has stride 8 and 256 channels: a (N,3,128,128) batch gives (N,256,16,16),
 * the same grid as VGG19 conv4_4 (which has 512 channels). Cutting before the activation mirrors White-box's
 * use of conv4_4 before its ReLU and keeps the gradient alive where ReLU6 would clip it. The reasons and
 * measurements are in {@code docs/perception.md}.
 *
 * <p>Input normalisation is the detector's own: it was trained on RGB in [-1,1], our tensor convention, so
 * images pass through unchanged, except for a fixed 3×3 binomial blur (on by default, see
 * {@link Builder#optAntiAlias}) that keeps the stride-2 layers from printing a checkerboard into the gradient. Layers (face-api {@code mobileNetV1}): {@code conv_0} is a 3×3 stride-2
 * convolution; each {@code conv_i}, i = 1..13, is a 3×3 depthwise convolution with batch norm (eps 1e-3),
 * then a 1×1 convolution whose batch norm is already folded into an offset; every step ends in ReLU6, and
 * layers 2, 4, 6 and 12 have stride 2, all with TensorFlow "same" padding.
 *
 * <p>The weights are constants in the network's own manager: they never require gradients, so an optimiser
 * cannot see them and backward computes only the input gradient. The depthwise batch norms are folded into
 * the depthwise filters and a bias at load time (mathematically the same as the source's separate batch norm).
 */
public final class MobileNetFeatureNetwork implements FeatureNetwork {

    /** Resource folder of the shipped face-api weights. */
    public static final String RESOURCE_FOLDER = "/assets/models/face-api";
    /** Manifest of the SSD MobileNetV1 face detector weights. */
    public static final String MANIFEST = "ssd_mobilenetv1_model-weights_manifest.json";
    /** The default last layer (stride 8, 256 channels). */
    public static final int DEFAULT_LAYER = 5;

    private static final float BN_EPSILON = 0.0010000000474974513f;
    private static final int[] CHANNELS = {32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    private static final String PREFIX = "MobilenetV1/Conv2d_";

    private final NDManager manager;
    private final int layer;
    private final boolean preActivation;
    /** The (3,1,3,3) anti-aliasing kernel, or null when off. */
    private final NDArray blurKernel;
    private final String name;
    /** Per layer 0..layer: depthwise filter (C,1,3,3) and bias (C), or null for layer 0. */
    private final NDArray[] depthwiseWeight;
    private final NDArray[] depthwiseBias;
    /** Per layer 0..layer: full or pointwise filter (OIHW) and offset (O). */
    private final NDArray[] pointwiseWeight;
    private final NDArray[] pointwiseBias;

    private MobileNetFeatureNetwork(Builder builder, TfjsWeights weights) {
        this.layer = builder.layer;
        this.preActivation = builder.preActivation;
        this.name = "face-api-ssd-mobilenetv1/conv_" + layer + (preActivation ? "" : "_relu6")
                + (builder.antiAlias ? "+blur121" : "");
        this.manager = NDManager.newBaseManager(builder.device);
        manager.setName("mobilenet-features");
        this.blurKernel = builder.antiAlias ? manager.create(binomialKernel(), new Shape(3, 1, 3, 3)) : null;
        depthwiseWeight = new NDArray[layer + 1];
        depthwiseBias = new NDArray[layer + 1];
        pointwiseWeight = new NDArray[layer + 1];
        pointwiseBias = new NDArray[layer + 1];
        try {
            loadConv0(weights);
            for (int i = 1; i <= layer; i++) {
                loadDepthwise(weights, i);
                loadPointwise(weights, i);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a builder.
     *
     * @return a builder with the defaults: layer 5, before its activation, anti-aliased, on the CPU, shipped weights
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the default network (binomial blur, then up to conv_5 before its ReLU6) from the shipped weights.
     *
     * @param device where the network runs
     * @return the network
     * @throws IOException when the shipped weights are missing or damaged (the message names the file)
     */
    public static MobileNetFeatureNetwork openDefault(Device device) throws IOException {
        return builder().optDevice(device).build();
    }

    private void loadConv0(TfjsWeights w) {
        String p = PREFIX + "0_pointwise/";
        TfjsWeights.Tensor filters = w.tensor(p + "weights", 3, 3, 3, CHANNELS[0]);
        pointwiseWeight[0] = manager.create(TfConvolutions.hwioToOihw(filters.values(), filters.shape()),
                new Shape(CHANNELS[0], 3, 3, 3));
        pointwiseBias[0] = manager.create(w.tensor(p + "convolution_bn_offset", CHANNELS[0]).values());
    }

    private void loadDepthwise(TfjsWeights w, int i) {
        int c = CHANNELS[i - 1];
        String p = PREFIX + i + "_depthwise/";
        TfjsWeights.Tensor filters = w.tensor(p + "depthwise_weights", 3, 3, c, 1);
        float[] gamma = w.tensor(p + "BatchNorm/gamma", c).values();
        float[] beta = w.tensor(p + "BatchNorm/beta", c).values();
        float[] mean = w.tensor(p + "BatchNorm/moving_mean", c).values();
        float[] variance = w.tensor(p + "BatchNorm/moving_variance", c).values();
        // (3,3,C,1) HWIO with I=C, O=1 has the same memory order as depthwise (C,1,3,3).
        float[] k = TfConvolutions.hwioToOihw(filters.values(), filters.shape());
        float[] bias = new float[c];
        for (int ch = 0; ch < c; ch++) {
            // batchNorm(conv(x)) = conv(x)·s + (beta − mean·s), with s = gamma / sqrt(var + eps).
            double s = gamma[ch] / Math.sqrt(variance[ch] + (double) BN_EPSILON);
            for (int t = 0; t < 9; t++) {
                k[ch * 9 + t] = (float) (k[ch * 9 + t] * s);
            }
            bias[ch] = (float) (beta[ch] - mean[ch] * s);
        }
        depthwiseWeight[i] = manager.create(k, new Shape(c, 1, 3, 3));
        depthwiseBias[i] = manager.create(bias);
    }

    private void loadPointwise(TfjsWeights w, int i) {
        int in = CHANNELS[i - 1];
        int out = CHANNELS[i];
        String p = PREFIX + i + "_pointwise/";
        TfjsWeights.Tensor filters = w.tensor(p + "weights", 1, 1, in, out);
        pointwiseWeight[i] = manager.create(TfConvolutions.hwioToOihw(filters.values(), filters.shape()),
                new Shape(out, in, 1, 1));
        pointwiseBias[i] = manager.create(w.tensor(p + "convolution_bn_offset", out).values());
    }

    /** [1,2,1]ᵀ[1,2,1]/16 for each of the three channels. */
    private static float[] binomialKernel() {
        float[] taps = {1, 2, 1};
        float[] k = new float[27];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    k[c * 9 + y * 3 + x] = taps[y] * taps[x] / 16f;
                }
            }
        }
        return k;
    }

    /** Stride of the depthwise convolution of layer i (face-api: layers 2, 4, 6 and 12 halve the size). */
    private static int depthwiseStride(int i) {
        return i == 2 || i == 4 || i == 6 || i == 12 ? 2 : 1;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray features(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected images of shape (N,3,H,W), got " + s);
        }
        NDArray in = blurKernel == null ? images : antiAlias(images);
        // conv_0: (N,3,H,W) -> (N,32,H/2,W/2)
        NDArray x = relu6(TfConvolutions.convSame(in, pointwiseWeight[0], pointwiseBias[0], 2, 1));
        for (int i = 1; i <= layer; i++) {
            // depthwise 3x3 + folded batch norm: (N,C,h,w) -> (N,C,h/stride,w/stride)
            NDArray dw = relu6(TfConvolutions.convSame(x, depthwiseWeight[i], depthwiseBias[i],
                    depthwiseStride(i), CHANNELS[i - 1]));
            // pointwise 1x1 + offset: (N,C,h,w) -> (N,C',h,w)
            NDArray pw = TfConvolutions.convSame(dw, pointwiseWeight[i], pointwiseBias[i], 1, 1);
            x = i == layer && preActivation ? pw : relu6(pw);
        }
        return x;
    }

    /** The fixed binomial blur, edges replicated: (N,3,H,W) -> (N,3,H+2,W+2) -> (N,3,H,W). */
    private NDArray antiAlias(NDArray images) {
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        NDArray padded = images.get(":, :, 0:1").concat(images, 2).concat(images.get(":, :, " + (h - 1) + ":"), 2);
        padded = padded.get(":, :, :, 0:1").concat(padded, 3).concat(padded.get(":, :, :, " + (w - 1) + ":"), 3);
        return Conv2d.conv2d(padded, blurKernel, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 3)
                .singletonOrThrow();
    }

    private static NDArray relu6(NDArray x) {
        return x.clip(0f, 6f);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return name;
    }

    /** Number of output channels. */
    public int channels() {
        return CHANNELS[layer];
    }

    /** Output stride relative to the input. */
    public int stride() {
        int stride = 2;
        for (int i = 1; i <= layer; i++) {
            stride *= depthwiseStride(i);
        }
        return stride;
    }

    /** The constant weight arrays, for tests that check they stay frozen. */
    NDList weights() {
        List<NDArray> all = new ArrayList<>();
        for (int i = 0; i <= layer; i++) {
            if (depthwiseWeight[i] != null) {
                all.add(depthwiseWeight[i]);
                all.add(depthwiseBias[i]);
            }
            all.add(pointwiseWeight[i]);
            all.add(pointwiseBias[i]);
        }
        return new NDList(all);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }

    /** Builds a {@link MobileNetFeatureNetwork}. */
    public static final class Builder {

        private int layer = DEFAULT_LAYER;
        private boolean preActivation = true;
        private boolean antiAlias = true;
        private Device device = Device.cpu();
        private Path manifest;

        private Builder() {}

        /**
         * Sets the last layer kept.
         *
         * @param layer 1..13 (5: stride 8, 256 channels; 11: stride 16, 512 channels)
         * @return this builder
         */
        public Builder optLayer(int layer) {
            if (layer < 1 || layer > 13) {
                throw new IllegalArgumentException("MobileNetV1 layer must be in 1..13, got " + layer);
            }
            this.layer = layer;
            return this;
        }

        /**
         * Sets whether the output is taken before the last ReLU6 (default true, as White-box takes conv4_4
         * before its ReLU).
         *
         * @param preActivation true for the pre-activation output
         * @return this builder
         */
        public Builder optPreActivation(boolean preActivation) {
            this.preActivation = preActivation;
            return this;
        }

        /**
         * Sets whether a fixed [1,2,1]ᵀ[1,2,1]/16 blur (edges replicated) runs in front of the backbone (default
         * true). The backbone's stride-2 3×3 convolutions cover even pixels twice and odd pixels once, so without
         * it the input gradient carries a period-2 (checkerboard) pattern: on photos the mean |gradient| of the
         * four pixel phases differs by 1.65× without the blur and 1.12× with it (docs/perception.md).
         *
         * @param antiAlias true to blur first
         * @return this builder
         */
        public Builder optAntiAlias(boolean antiAlias) {
            this.antiAlias = antiAlias;
            return this;
        }

        /**
         * Sets the device.
         *
         * @param device where the weights live and the network runs
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Loads the weights from a manifest file instead of the shipped resources.
         *
         * @param manifest a {@code ssd_mobilenetv1_model-weights_manifest.json}, shards beside it
         * @return this builder
         */
        public Builder optManifest(Path manifest) {
            this.manifest = manifest;
            return this;
        }

        /**
         * Reads the weights and builds the network.
         *
         * @return the network
         * @throws IOException when the weights are missing or damaged (the message names the file)
         */
        public MobileNetFeatureNetwork build() throws IOException {
            TfjsWeights weights;
            String source = manifest != null ? manifest.toString() : RESOURCE_FOLDER + "/" + MANIFEST;
            try {
                weights = manifest != null ? TfjsWeights.fromFile(manifest)
                        : TfjsWeights.fromResource(RESOURCE_FOLDER, MANIFEST);
            } catch (IOException e) {
                throw new IOException("cannot read the content feature network's weights " + source + ": "
                        + e.getMessage(), e);
            }
            try {
                return new MobileNetFeatureNetwork(this, weights);
            } catch (IllegalArgumentException e) {
                throw new IOException("the content feature network's weights " + source
                        + " do not fit MobileNetV1: " + e.getMessage(), e);
            }
        }
    }
}
