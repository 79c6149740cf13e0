package io.github.facetoon.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * White-box's spectral-norm PatchGAN discriminator, {@code disc_sn(patch=True)} (Wang &amp; Yu, CVPR 2020): three
 * stages with 32, 64 and 128 channels, each a stride-2 then a stride-1 3×3 spectral-norm convolution followed by
 * LeakyReLU 0.2, then a 1×1 spectral-norm convolution to one channel.
 *
 * <p>Input (N,C,H,W) with C = 3 for the surface discriminator (blurred images) or C = 1 for the texture
 * discriminator (grey images); output (N,1,H/8,W/8) raw logits, one per 43×43-pixel patch, for the LSGAN loss.
 * Trainable parameters: 287,137 for C = 3, 286,561 for C = 1 (the power-iteration vectors are not trained).
 *
 * <p>Deviation from the ArthurinRUC seed: no final sigmoid, as in the original (LSGAN on logits).
 */
public final class PatchDiscriminatorBlock extends AbstractBlock {

    /** Channels of the three stages ({@code 32·2^i}). */
    static final int[] STAGE_CHANNELS = {32, 64, 128};

    private static final byte VERSION = 1;

    private final int inChannels;
    private final List<SpectralNormConv2dBlock> convs;
    private final SpectralNormConv2dBlock head;

    /**
     * Creates a discriminator.
     *
     * @param inChannels image channels: 3 (surface) or 1 (texture); other positive values are allowed
     */
    public PatchDiscriminatorBlock(int inChannels) {
        super(VERSION);
        if (inChannels <= 0) {
            throw new IllegalArgumentException("inChannels must be positive, got " + inChannels);
        }
        this.inChannels = inChannels;
        List<SpectralNormConv2dBlock> list = new ArrayList<>();
        int channels = inChannels;
        for (int stage = 0; stage < STAGE_CHANNELS.length; stage++) {
            int out = STAGE_CHANNELS[stage];
            list.add(addChildBlock("stage" + stage + "Down", new SpectralNormConv2dBlock(channels, out, 3, 2, 1)));
            list.add(addChildBlock("stage" + stage + "Conv", new SpectralNormConv2dBlock(out, out, 3, 1, 1)));
            channels = out;
        }
        convs = Collections.unmodifiableList(list);
        head = addChildBlock("head", new SpectralNormConv2dBlock(channels, 1, 1, 1, 0));
    }

    /** Returns the expected image channel count. */
    public int getInChannels() {
        return inChannels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        // per stage i (c_i = 32, 64, 128): (N,c,h,w) -> (N,c_i,h/2,w/2) -> (N,c_i,h/2,w/2)
        for (SpectralNormConv2dBlock conv : convs) {
            x = Activation.leakyRelu(apply(conv, x, parameterStore, training, params), GeneratorBlock.LEAKY_SLOPE);
        }
        // (N,128,H/8,W/8) -> (N,1,H/8,W/8), raw logits
        return new NDList(apply(head, x, parameterStore, training, params));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        checkInput(shape);
        for (SpectralNormConv2dBlock conv : convs) {
            shape = conv.getOutputShapes(new Shape[] {shape})[0];
        }
        return head.getOutputShapes(new Shape[] {shape});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        checkInput(shape);
        for (SpectralNormConv2dBlock conv : convs) {
            conv.initialize(manager, dataType, shape);
            shape = conv.getOutputShapes(new Shape[] {shape})[0];
        }
        head.initialize(manager, dataType, shape);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != inChannels) {
            throw new IllegalArgumentException(
                    "PatchDiscriminatorBlock(" + inChannels + ") expects (N," + inChannels + ",H,W), got " + shape);
        }
    }

    private static NDArray apply(
            Block block, NDArray x, ParameterStore parameterStore, boolean training, PairList<String, Object> params) {
        return block.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
    }
}
