package io.github.facetoon.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/**
 * The White-box generator's residual block: {@code out = x + conv3(LReLU(conv3(x)))}, both convolutions biased,
 * "same" size, with the channel count kept; no activation after the addition (as in the TF {@code resblock}).
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final Conv2d conv1;
    private final Conv2d conv2;

    /**
     * Creates a residual block.
     *
     * @param channels the input and output channel count (128 in the generator)
     */
    public ResidualBlock(int channels) {
        super(VERSION);
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        this.channels = channels;
        conv1 = addChildBlock("conv1", sameConv3(channels));
        conv2 = addChildBlock("conv2", sameConv3(channels));
    }

    /** Returns the input and output channel count. */
    public int getChannels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // (N,C,H,W) -> (N,C,H,W)
        NDArray y = conv1.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
        y = Activation.leakyRelu(y, GeneratorBlock.LEAKY_SLOPE);
        // (N,C,H,W) -> (N,C,H,W)
        y = conv2.forward(parameterStore, new NDList(y), training, params).singletonOrThrow();
        // skip: x + f(x), no activation after the add
        return new NDList(x.add(y));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkInput(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        forEachLayer(inputShapes[0], (block, in) -> block.initialize(manager, dataType, in));
    }

    /**
     * Visits the two convolutions in forward order with their input shapes (both keep the shape).
     *
     * @param input (N,C,H,W)
     * @param visitor called once per convolution
     */
    public void forEachLayer(Shape input, BiConsumer<Block, Shape> visitor) {
        checkInput(input);
        visitor.accept(conv1, input);
        visitor.accept(conv2, conv1.getOutputShapes(new Shape[] {input})[0]);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "ResidualBlock(" + channels + ") expects (N," + channels + ",H,W), got " + shape);
        }
    }

    private static Conv2d sameConv3(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optPadding(new Shape(1, 1))
                .build();
    }
}
