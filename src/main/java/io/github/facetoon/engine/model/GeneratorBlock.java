package io.github.facetoon.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The White-box Cartoonization generator (Wang &amp; Yu, CVPR 2020): the U-Net of the original TF
 * {@code unet_generator} with working additive skip connections, 1,467,075 parameters.
 *
 * <pre>
 * x0 = LReLU(conv7(in, 32))
 * x1 = LReLU(conv3(LReLU(conv3_s2(x0, 32)), 64))          // H/2
 * x2 = LReLU(conv3(LReLU(conv3_s2(x1, 64)), 128))         // H/4
 * x2 = 4 x ResidualBlock(128)
 * x2 = LReLU(conv3(x2, 64))
 * x3 = bilinear(x2, size of x1); x3 = LReLU(conv3(x3 + x1, 64)); x3 = LReLU(conv3(x3, 32))
 * x4 = bilinear(x3, size of x0); x4 = LReLU(conv3(x4 + x0, 32))
 * out = tanh(conv7(x4, 3))
 * </pre>
 *
 * <p>All convolutions are biased with symmetric "same" padding (k/2; the stride-2 ones use padding 1), LeakyReLU
 * slope 0.2, no normalisation. Input and output are (N,3,H,W) RGB in [-1,1]. H and W that are multiples of 4 give
 * exactly the original's feature-map sizes; other sizes also run, because each upsampling targets the actual size of
 * its skip tensor.
 *
 * <p>Deviation: the original TF generator has no output activation; like the ArthurinRUC seed we end with
 * {@code tanh}, so the output stays in [-1,1] for the guided filter, SLIC and the feature networks.
 *
 * <p>Deviation: the seed's {@code UpSample.forward} returned the upsampled tensor before the skip addition
 * ({@code return x1}), which left the skips and two convolutions dead; here the skips are used, as in the original.
 *
 * <p>Deviation: stride-2 convolutions pad one pixel on every side (PyTorch style) where TF "SAME" pads only bottom
 * and right on even sizes, and the bilinear resize uses half-pixel centres ({@code align_corners=false}, as
 * PyTorch's {@code F.interpolate}) where TF1 {@code resize_bilinear} does not; both change values by at most a
 * sub-pixel shift, not the architecture.
 */
public final class GeneratorBlock extends AbstractBlock {

    /** LeakyReLU negative slope of the original TF code ({@code tf.nn.leaky_relu}). */
    public static final float LEAKY_SLOPE = 0.2f;

    /** Base channel count of the original ({@code channel=32}). */
    public static final int BASE_CHANNELS = 32;

    /** Number of residual blocks of the original ({@code num_blocks=4}). */
    public static final int RESIDUAL_BLOCKS = 4;

    /** Input and output channels: RGB. */
    public static final int IMAGE_CHANNELS = 3;

    /**
     * The PyTorch engine's interpolation mode code for bilinear. With the shipped pytorch-jni 2.7.1-0.36.0 the codes
     * are 0 nearest, 1 bilinear, 2 nearest, 3 bicubic (measured); newer upstream JNI sources number them
     * differently (2 = bilinear), so {@code GeneratorBlockTest} pins the numbers against a hand-computed resize.
     */
    static final int BILINEAR_MODE = 1;

    private static final byte VERSION = 1;

    private final Conv2d inConv;
    private final Conv2d down1Stride;
    private final Conv2d down1;
    private final Conv2d down2Stride;
    private final Conv2d down2;
    private final List<ResidualBlock> residuals;
    private final Conv2d up1Reduce;
    private final Conv2d up1Merge;
    private final Conv2d up2Reduce;
    private final Conv2d up2Merge;
    private final Conv2d outConv;

    /** Creates the generator with the original sizes (32 base channels, 4 residual blocks). */
    public GeneratorBlock() {
        super(VERSION);
        int c = BASE_CHANNELS;
        inConv = addChildBlock("inConv", conv(c, 7, 1));
        down1Stride = addChildBlock("down1Stride", conv(c, 3, 2));
        down1 = addChildBlock("down1", conv(2 * c, 3, 1));
        down2Stride = addChildBlock("down2Stride", conv(2 * c, 3, 2));
        down2 = addChildBlock("down2", conv(4 * c, 3, 1));
        List<ResidualBlock> blocks = new ArrayList<>();
        for (int i = 0; i < RESIDUAL_BLOCKS; i++) {
            blocks.add(addChildBlock("residual" + i, new ResidualBlock(4 * c)));
        }
        residuals = Collections.unmodifiableList(blocks);
        up1Reduce = addChildBlock("up1Reduce", conv(2 * c, 3, 1));
        up1Merge = addChildBlock("up1Merge", conv(2 * c, 3, 1));
        up2Reduce = addChildBlock("up2Reduce", conv(c, 3, 1));
        up2Merge = addChildBlock("up2Merge", conv(c, 3, 1));
        outConv = addChildBlock("outConv", conv(IMAGE_CHANNELS, 7, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.singletonOrThrow();
        checkInput(image.getShape());
        // (N,3,H,W) -> (N,32,H,W)
        NDArray x0 = lrelu(apply(inConv, image, parameterStore, training, params));
        // (N,32,H,W) -> (N,32,H/2,W/2)
        NDArray x1 = lrelu(apply(down1Stride, x0, parameterStore, training, params));
        // (N,32,H/2,W/2) -> (N,64,H/2,W/2)
        x1 = lrelu(apply(down1, x1, parameterStore, training, params));
        // (N,64,H/2,W/2) -> (N,64,H/4,W/4)
        NDArray x2 = lrelu(apply(down2Stride, x1, parameterStore, training, params));
        // (N,64,H/4,W/4) -> (N,128,H/4,W/4)
        x2 = lrelu(apply(down2, x2, parameterStore, training, params));
        // (N,128,H/4,W/4) -> (N,128,H/4,W/4), four times
        for (ResidualBlock residual : residuals) {
            x2 = apply(residual, x2, parameterStore, training, params);
        }
        // (N,128,H/4,W/4) -> (N,64,H/4,W/4)
        x2 = lrelu(apply(up1Reduce, x2, parameterStore, training, params));
        // (N,64,H/4,W/4) -> (N,64,H/2,W/2), to the skip's exact size
        NDArray x3 = upsampleLike(x2, x1);
        // skip: (N,64,H/2,W/2) + (N,64,H/2,W/2) -> (N,64,H/2,W/2)
        x3 = lrelu(apply(up1Merge, x3.add(x1), parameterStore, training, params));
        // (N,64,H/2,W/2) -> (N,32,H/2,W/2)
        x3 = lrelu(apply(up2Reduce, x3, parameterStore, training, params));
        // (N,32,H/2,W/2) -> (N,32,H,W), to the skip's exact size
        NDArray x4 = upsampleLike(x3, x0);
        // skip: (N,32,H,W) + (N,32,H,W) -> (N,32,H,W)
        x4 = lrelu(apply(up2Merge, x4.add(x0), parameterStore, training, params));
        // (N,32,H,W) -> (N,3,H,W) in [-1,1]
        return new NDList(Activation.tanh(apply(outConv, x4, parameterStore, training, params)));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        // The U-Net returns to the input's size: each upsampling targets its skip tensor's size.
        return new Shape[] {new Shape(in.get(0), IMAGE_CHANNELS, in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        forEachLayer(inputShapes[0], (block, in) -> block.initialize(manager, dataType, in));
    }

    /**
     * Visits the direct children in forward order, each with the input shape it receives: the shape arithmetic of
     * {@code forwardInternal} without running it. Initialisation and the benchmark's FLOP count both use it, so
     * the count follows the real layer shapes. Works before initialisation.
     *
     * @param input (N,3,H,W)
     * @param visitor called once per child (convolution or residual block) with that child's input shape
     */
    public void forEachLayer(Shape input, BiConsumer<Block, Shape> visitor) {
        checkInput(input);
        Shape x0 = visit(inConv, input, visitor);
        Shape x1 = visit(down1, visit(down1Stride, x0, visitor), visitor);
        Shape x2 = visit(down2, visit(down2Stride, x1, visitor), visitor);
        for (ResidualBlock residual : residuals) {
            x2 = visit(residual, x2, visitor);
        }
        x2 = visit(up1Reduce, x2, visitor);
        Shape x3 = visit(up1Merge, withSize(x2, x1), visitor);
        x3 = visit(up2Reduce, x3, visitor);
        visit(outConv, visit(up2Merge, withSize(x3, x0), visitor), visitor);
    }

    /**
     * Resizes {@code x} bilinearly (half-pixel centres, differentiable) to the spatial size of {@code skip}.
     *
     * @param x (N,C,h,w)
     * @param skip (N,C',H,W)
     * @return (N,C,H,W), on {@code x}'s manager
     */
    static NDArray upsampleLike(NDArray x, NDArray skip) {
        Shape target = skip.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {target.get(2), target.get(3)}, BILINEAR_MODE, false);
    }

    private static NDArray apply(
            Block block, NDArray x, ParameterStore parameterStore, boolean training, PairList<String, Object> params) {
        return block.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
    }

    private static NDArray lrelu(NDArray x) {
        return Activation.leakyRelu(x, LEAKY_SLOPE);
    }

    private static Shape visit(Block block, Shape in, BiConsumer<Block, Shape> visitor) {
        visitor.accept(block, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    /** The shape of {@code x} with the spatial size of {@code skip}: what an upsample to the skip produces. */
    private static Shape withSize(Shape x, Shape skip) {
        return new Shape(x.get(0), x.get(1), skip.get(2), skip.get(3));
    }

    private static void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != IMAGE_CHANNELS) {
            throw new IllegalArgumentException("GeneratorBlock expects (N,3,H,W) RGB, got " + shape);
        }
        if (shape.get(2) < 4 || shape.get(3) < 4) {
            throw new IllegalArgumentException("GeneratorBlock needs H and W of at least 4, got " + shape);
        }
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .build();
    }
}
