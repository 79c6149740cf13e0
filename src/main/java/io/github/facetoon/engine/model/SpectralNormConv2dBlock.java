package io.github.facetoon.engine.model;

import io.github.facetoon.engine.Tensors;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A biased 2-D convolution whose kernel is divided by its largest singular value, estimated by power iteration
 * (spectral normalisation, Miyato et al., ICLR 2018, Algorithm 1).
 *
 * <p>With {@code W} the kernel reshaped to (out, in·k·k) and {@code u} a persistent unit vector of length out, each
 * training forward runs one power iteration without gradient, {@code v = normalize(Wᵀu)},
 * {@code u = normalize(W v)}, stores the new {@code u} in place, and convolves with {@code W / σ} where
 * {@code σ = uᵀ W v} carries the gradient through {@code W} (u and v are constants for autograd). An inference
 * forward leaves {@code u} untouched and uses {@code v = normalize(Wᵀu)}, so {@code σ = |Wᵀu|}.
 *
 * <p>{@code u} is a {@link Parameter} of type {@link Parameter.Type#OTHER} that does not require a gradient: it is
 * written and read by {@code saveParameters}/{@code loadParameters} with the kernel and the bias, so a resumed
 * training continues exactly, but optimizers never update it. Each forward uses fresh copies of {@code u} and
 * {@code v}, so several forwards may share one backward pass (D on real and fake images).
 *
 * <p>Deviation: like White-box's TF {@code spectral_norm} we run one iteration per training forward, but none at
 * inference (the TF code iterates on every call); this matches PyTorch's {@code spectral_norm} in eval mode.
 */
public final class SpectralNormConv2dBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float NORM_EPS = 1e-12f;

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    /**
     * Creates a spectral-norm convolution with a square kernel.
     *
     * @param inChannels input channels
     * @param outChannels output channels (filters); also the length of {@code u}
     * @param kernel kernel height and width
     * @param stride stride in both directions
     * @param padding zero padding on every side
     */
    public SpectralNormConv2dBlock(int inChannels, int outChannels, int kernel, int stride, int padding) {
        super(VERSION);
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(String.format(
                    "bad spectral-norm conv: in=%d out=%d k=%d s=%d p=%d", inChannels, outChannels, kernel, stride,
                    padding));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                // Glorot uniform, TF's default; CartoonNetworks replaces it with a seeded one.
                .optInitializer(new XavierInitializer(
                        XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3))
                .build());
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .build());
        u = addParameter(Parameter.builder()
                .setName("u")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(outChannels))
                .optInitializer(SpectralNormConv2dBlock::randomUnitVector)
                .optRequiresGrad(false)
                .build());
    }

    /** Returns the input channel count. */
    public int getInChannels() {
        return inChannels;
    }

    /** Returns the output channel count. */
    public int getOutChannels() {
        return outChannels;
    }

    /** Returns the persistent power-iteration vector {@code u} (length out; not trained). */
    public Parameter getU() {
        return u;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        // Derived arrays go to the input's manager: an op on a parameter would otherwise land in the model's manager.
        NDManager scope = x.getManager();
        NDArray kernelW = parameterStore.getValue(weight, device, training);
        NDArray biasB = parameterStore.getValue(bias, device, training);

        // (out,in,k,k) -> (out, in*k*k), detached for the power iteration
        NDArray matrix = attach(kernelW.stopGradient(), scope).reshape(outChannels, -1);
        // (out) -> (out,1), a private copy: later training forwards replace the stored u, this graph keeps its own
        NDArray uVec = attach(u.getArray().toDevice(device, true), scope).reshape(outChannels, 1);
        // v = normalize(Wᵀ u): (in*k*k, out) x (out,1) -> (in*k*k,1)
        NDArray vVec = normalize(matrix.transpose().matMul(uVec));
        if (training) {
            // u = normalize(W v): (out, in*k*k) x (in*k*k,1) -> (out,1)
            uVec = normalize(matrix.matMul(vVec));
            storeU(uVec);
        }
        // σ = uᵀ W v = Σ (u vᵀ) ⊙ W, gradient through W only: (out,1) x (1,in*k*k) -> (out,in,k,k) -> ()
        NDArray outer = uVec.matMul(vVec.transpose()).reshape(kernelW.getShape());
        NDArray sigma = outer.mul(kernelW).sum();
        // W / σ, written as (1/σ)·W so that the result stays on the input's manager
        NDArray normalized = Tensors.pow(sigma, -1).mul(kernelW);
        // (N,in,H,W) -> (N,out,H',W')
        return Conv2d.conv2d(x, normalized, biasB, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(1, 1), 1);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        return new Shape[] {new Shape(in.get(0), outChannels, outSize(in.get(2)), outSize(in.get(3)))};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        checkInput(inputShapes[0]);
    }

    private long outSize(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != inChannels) {
            throw new IllegalArgumentException(
                    "SpectralNormConv2dBlock expects (N," + inChannels + ",H,W), got " + shape);
        }
        if (shape.get(2) + 2L * padding < kernel || shape.get(3) + 2L * padding < kernel) {
            throw new IllegalArgumentException("input " + shape + " is smaller than the " + kernel + "x" + kernel
                    + " kernel with padding " + padding);
        }
    }

    /** Replaces the stored u's values, keeping the same NDArray object (a trainer's parameter store may hold it). */
    private void storeU(NDArray newU) {
        NDArray stored = u.getArray();
        NDArray copy = newU.reshape(outChannels).toDevice(stored.getDevice(), true);
        // intern swaps in copy's native tensor and closes copy; nothing in any graph refers to the old one
        stored.intern(copy);
    }

    private static NDArray normalize(NDArray vector) {
        return vector.div(vector.norm().add(NORM_EPS));
    }

    private static NDArray attach(NDArray array, NDManager scope) {
        array.attach(scope);
        return array;
    }

    /** Default initializer of {@code u}: a random unit vector (CartoonNetworks replaces it with a seeded one). */
    private static NDArray randomUnitVector(NDManager manager, Shape shape, DataType dataType) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray unit = normalize(scratch.randomNormal(shape, dataType));
            unit.attach(manager);
            return unit;
        }
    }
}
