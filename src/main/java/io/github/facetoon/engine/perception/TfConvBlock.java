package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 3×3 convolution with TensorFlow's "same" padding, either full or depthwise-separable, loaded from tfjs weights.
 *
 * <p>TensorFlow pads "same" convolutions asymmetrically when the total padding is odd: the extra row and column go
 * to the bottom and right. PyTorch pads symmetrically, so the input is padded explicitly and the convolution itself
 * is "valid". The depthwise part of a separable convolution has no bias; the pointwise part does (as in tfjs
 * {@code separableConv2d} followed by {@code add(bias)}).
 */
final class TfConvBlock extends AbstractBlock {

    private static final int KERNEL = 3;

    private final boolean separable;
    private final int channelsIn;
    private final int channelsOut;
    private final int stride;
    private final Conv2d conv;
    private final Conv2d pointwise;

    private TfConvBlock(boolean separable, int channelsIn, int channelsOut, int stride) {
        this.separable = separable;
        this.channelsIn = channelsIn;
        this.channelsOut = channelsOut;
        this.stride = stride;
        if (separable) {
            conv = addChildBlock("depthwise", Conv2d.builder()
                    .setKernelShape(new Shape(KERNEL, KERNEL))
                    .setFilters(channelsIn)
                    .optGroups(channelsIn)
                    .optStride(new Shape(stride, stride))
                    .optBias(false)
                    .build());
            pointwise = addChildBlock("pointwise", Conv2d.builder()
                    .setKernelShape(new Shape(1, 1))
                    .setFilters(channelsOut)
                    .build());
        } else {
            conv = addChildBlock("conv", Conv2d.builder()
                    .setKernelShape(new Shape(KERNEL, KERNEL))
                    .setFilters(channelsOut)
                    .optStride(new Shape(stride, stride))
                    .build());
            pointwise = null;
        }
    }

    /**
     * A full 3×3 convolution with bias.
     *
     * @param channelsIn input channels
     * @param channelsOut output channels
     * @param stride 1 or 2
     * @return the block
     */
    static TfConvBlock full(int channelsIn, int channelsOut, int stride) {
        return new TfConvBlock(false, channelsIn, channelsOut, stride);
    }

    /**
     * A depthwise 3×3 convolution followed by a pointwise 1×1 convolution with bias.
     *
     * @param channelsIn input channels
     * @param channelsOut output channels
     * @param stride stride of the depthwise part, 1 or 2
     * @return the block
     */
    static TfConvBlock separable(int channelsIn, int channelsOut, int stride) {
        return new TfConvBlock(true, channelsIn, channelsOut, stride);
    }

    /**
     * TensorFlow "same" padding for one spatial axis: (before, after), the odd pixel going after.
     *
     * @param size input size along the axis
     * @param stride the stride
     * @return {before, after}
     */
    static int[] samePadding(long size, int stride) {
        long out = (size + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + KERNEL - size, 0);
        int before = (int) (total / 2);
        return new int[] {before, (int) (total - before)};
    }

    private Shape paddedShape(Shape in) {
        int[] ph = samePadding(in.get(2), stride);
        int[] pw = samePadding(in.get(3), stride);
        return new Shape(in.get(0), in.get(1), in.get(2) + ph[0] + ph[1], in.get(3) + pw[0] + pw[1]);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int[] ph = samePadding(x.getShape().get(2), stride);
        int[] pw = samePadding(x.getShape().get(3), stride);
        // (N,C,H,W) -> (N,C,H+ph,W+pw): pad pairs run from the last axis backwards (left, right, top, bottom)
        NDArray padded = x.pad(new Shape(pw[0], pw[1], ph[0], ph[1]), 0);
        // (N,C,H+ph,W+pw) -> (N,C or Cout,ceil(H/s),ceil(W/s))
        NDList out = conv.forward(ps, new NDList(padded), training);
        if (separable) {
            // (N,C,h,w) -> (N,Cout,h,w)
            out = pointwise.forward(ps, out, training);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), channelsOut, (in.get(2) + stride - 1) / stride,
                (in.get(3) + stride - 1) / stride)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape padded = paddedShape(inputShapes[0]);
        conv.initialize(manager, dataType, padded);
        if (separable) {
            pointwise.initialize(manager, dataType, conv.getOutputShapes(new Shape[] {padded}));
        }
    }

    /**
     * Copies tfjs weights into this block's (initialised, frozen) parameters.
     *
     * @param weights the tfjs weights
     * @param prefix e.g. "dense1/conv0"
     * @param manager scratch manager for the conversion
     */
    void load(TfjsWeights weights, String prefix, NDManager manager) {
        if (separable) {
            // tfjs depthwise (kh,kw,C,1) -> PyTorch (C,1,kh,kw) with groups=C
            copy(weights.array(manager, prefix + "/depthwise_filter", KERNEL, KERNEL, channelsIn, 1).transpose(2, 3, 0, 1),
                    conv, "weight");
            // tfjs pointwise (1,1,C,Cout) -> PyTorch (Cout,C,1,1)
            copy(weights.array(manager, prefix + "/pointwise_filter", 1, 1, channelsIn, channelsOut).transpose(3, 2, 0, 1),
                    pointwise, "weight");
            copy(weights.array(manager, prefix + "/bias", channelsOut), pointwise, "bias");
        } else {
            // tfjs HWIO (kh,kw,Cin,Cout) -> PyTorch OIHW (Cout,Cin,kh,kw)
            copy(weights.array(manager, prefix + "/filters", KERNEL, KERNEL, channelsIn, channelsOut).transpose(3, 2, 0, 1),
                    conv, "weight");
            copy(weights.array(manager, prefix + "/bias", channelsOut), conv, "bias");
        }
    }

    static void copy(NDArray source, AbstractBlock target, String parameter) {
        NDArray dest = target.getParameters().get(parameter).getArray();
        if (!dest.getShape().equals(source.getShape())) {
            throw new IllegalStateException("parameter " + parameter + " has shape " + dest.getShape()
                    + " but the converted weights have shape " + source.getShape());
        }
        dest.set(source.toFloatArray());
    }
}
