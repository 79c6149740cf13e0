package io.github.facetoon.engine.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import io.github.facetoon.engine.model.GeneratorBlock;
import io.github.facetoon.engine.model.ResidualBlock;

/**
 * Counts the generator's work per image from its layer shapes: every convolution contributes
 * {@code H_out·W_out·C_out·(C_in/groups)·k_h·k_w} multiply-adds, walked with {@link GeneratorBlock#forEachLayer} so
 * the count follows the real block structure. One multiply-add is two FLOPs. Biases, activations, the two bilinear
 * upsamplings and the skip additions are element-wise and reported separately as element counts.
 */
public final class GeneratorFlops {

    /**
     * The count for one image size.
     *
     * @param height H
     * @param width W
     * @param convMacs multiply-adds of all convolutions for one image
     * @param elementwiseOps elements touched by the upsamplings and additions (skips and residuals), one image
     */
    public record Count(int height, int width, long convMacs, long elementwiseOps) {

        /** Returns the convolution FLOPs (2 per multiply-add). */
        public long flops() {
            return 2 * convMacs;
        }
    }

    private GeneratorFlops() {}

    /**
     * Counts the work of one (1,3,H,W) image.
     *
     * @param generator the generator (initialised or not)
     * @param height H
     * @param width W
     * @return the count
     */
    public static Count count(GeneratorBlock generator, int height, int width) {
        long[] macs = {0};
        long[] elementwise = {0};
        generator.forEachLayer(new Shape(1, 3, height, width), (block, in) -> {
            if (block instanceof ResidualBlock residual) {
                residual.forEachLayer(in, (conv, convIn) -> macs[0] += convMacs(conv, convIn));
                elementwise[0] += in.size(); // x + f(x)
            } else {
                macs[0] += convMacs(block, in);
            }
        });
        // Two upsample + skip-add stages: (N,64,H/2,W/2) and (N,32,H,W); each output element is written by the
        // upsampling and read by the addition.
        long h2 = (height + 1) / 2;
        long w2 = (width + 1) / 2;
        elementwise[0] += 2L * (64 * h2 * w2) + 2L * (32L * height * width);
        return new Count(height, width, macs[0], elementwise[0]);
    }

    private static long convMacs(Block block, Shape in) {
        if (!(block instanceof Convolution conv)) {
            throw new IllegalStateException("expected a convolution, got " + block.getClass().getSimpleName());
        }
        Shape out = conv.getOutputShapes(new Shape[] {in})[0];
        Shape kernel = conv.getKernelShape();
        long inPerGroup = in.get(1) / conv.getGroups();
        return out.get(1) * out.get(2) * out.get(3) * inPerGroup * kernel.get(0) * kernel.get(1);
    }
}
