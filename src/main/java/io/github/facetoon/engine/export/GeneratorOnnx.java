package io.github.facetoon.engine.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import io.github.facetoon.engine.model.GeneratorBlock;
import io.github.facetoon.engine.model.ResidualBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the generator as an ONNX graph (opset {@value #OPSET}) that runs in any ONNX runtime: the same U-Net as
 * {@link GeneratorBlock} (convolutions, LeakyReLU 0.2, additive skips, bilinear resizes with half-pixel centres to the
 * skip's own size, final tanh), optionally followed by the inference guided filter (radius r, ε, guided by the photo,
 * each channel on its own, then clipped to [-1,1]) so that the graph's output is the cartoon at the working size.
 *
 * <p>Input {@value #INPUT}: (N,3,H,W) float RGB in [-1,1] with H and W free (multiples of 8 give the exact sizes the
 * product runs at); output {@value #OUTPUT}: the same layout and range.
 */
public final class GeneratorOnnx {

    /** The operator set the graph uses. */
    public static final int OPSET = 17;
    /** The input's name. */
    public static final String INPUT = "photo";
    /** The output's name. */
    public static final String OUTPUT = "cartoon";

    private final OnnxGraph g;
    private int convs;

    private GeneratorOnnx(String name) {
        this.g = new OnnxGraph(name, OPSET);
    }

    /**
     * Builds the graph of a generator.
     *
     * @param generator an initialised generator (its current weights are written)
     * @param name the graph's name
     * @param filterRadius the guided filter's radius, or -1 for the raw generator output
     * @param filterEps the guided filter's ε (ignored without the filter)
     * @return the graph, to which the caller adds metadata before writing it
     */
    public static OnnxGraph build(GeneratorBlock generator, String name, int filterRadius, float filterEps) {
        GeneratorOnnx e = new GeneratorOnnx(name);
        e.g.input(INPUT, "batch", 3L, "height", "width");
        String raw = e.generator(generator, INPUT);
        String out = filterRadius >= 0 ? e.guidedFilter(INPUT, raw, filterRadius, filterEps) : raw;
        e.g.node("Identity", List.of(out), OUTPUT);
        e.g.output(OUTPUT, "batch", 3L, "height", "width");
        return e.g;
    }

    /** The forward pass of {@link GeneratorBlock#forwardInternal}, layer by layer in its order. */
    private String generator(GeneratorBlock generator, String image) {
        List<Block> layers = new ArrayList<>();
        generator.forEachLayer(new Shape(1, 3, 64, 64), (block, in) -> layers.add(block));
        int k = 0;
        String x0 = lrelu(conv(layers.get(k++), image));                        // (N,32,H,W)
        String x1 = lrelu(conv(layers.get(k++), x0));                           // (N,32,H/2,W/2)
        x1 = lrelu(conv(layers.get(k++), x1));                                  // (N,64,H/2,W/2)
        String x2 = lrelu(conv(layers.get(k++), x1));                           // (N,64,H/4,W/4)
        x2 = lrelu(conv(layers.get(k++), x2));                                  // (N,128,H/4,W/4)
        while (layers.get(k) instanceof ResidualBlock residual) {
            List<Block> convsOf = new ArrayList<>();
            residual.forEachLayer(new Shape(1, residual.getChannels(), 16, 16), (block, in) -> convsOf.add(block));
            String y = lrelu(conv(convsOf.get(0), x2));
            y = conv(convsOf.get(1), y);
            x2 = g.node("Add", List.of(x2, y));                                 // x + f(x)
            k++;
        }
        x2 = lrelu(conv(layers.get(k++), x2));                                  // (N,64,H/4,W/4)
        String x3 = resizeLike(x2, x1);                                         // (N,64,H/2,W/2)
        x3 = lrelu(conv(layers.get(k++), g.node("Add", List.of(x3, x1))));
        x3 = lrelu(conv(layers.get(k++), x3));                                  // (N,32,H/2,W/2)
        String x4 = resizeLike(x3, x0);                                         // (N,32,H,W)
        x4 = lrelu(conv(layers.get(k++), g.node("Add", List.of(x4, x0))));
        String out = conv(layers.get(k++), x4);                                 // (N,3,H,W)
        if (k != layers.size()) {
            throw new IllegalStateException("the generator has " + layers.size() + " layers, the export wrote " + k);
        }
        return g.node("Tanh", List.of(out));
    }

    private String conv(Block block, String x) {
        if (!(block instanceof Convolution c) || c.getGroups() != 1 || !c.isIncludeBias()) {
            throw new IllegalStateException("expected a biased convolution, got " + block.getClass().getSimpleName());
        }
        String prefix = "conv" + (++convs);
        Parameter weight = c.getParameters().get("weight");
        Parameter bias = c.getParameters().get("bias");
        String w = g.floats(prefix + ".weight", weight.getArray().toFloatArray(), weight.getArray().getShape().getShape());
        String b = g.floats(prefix + ".bias", bias.getArray().toFloatArray(), bias.getArray().getShape().getShape());
        Shape k = c.getKernelShape();
        Shape s = c.getStride();
        Shape p = c.getPadding();
        Shape d = c.getDilation();
        return g.node("Conv", List.of(x, w, b),
                OnnxGraph.Attribute.ints("kernel_shape", k.get(0), k.get(1)),
                OnnxGraph.Attribute.ints("strides", s.get(0), s.get(1)),
                OnnxGraph.Attribute.ints("pads", p.get(0), p.get(1), p.get(0), p.get(1)),
                OnnxGraph.Attribute.ints("dilations", d.get(0), d.get(1)));
    }

    private String lrelu(String x) {
        return g.node("LeakyRelu", List.of(x), OnnxGraph.Attribute.of("alpha", GeneratorBlock.LEAKY_SLOPE));
    }

    /** Bilinear resize of x to the size of skip (their channel counts are equal), half-pixel centres. */
    private String resizeLike(String x, String skip) {
        String size = g.node("Shape", List.of(skip));
        return g.node("Resize", List.of(x, "", "", size), OnnxGraph.Attribute.of("mode", "linear"),
                OnnxGraph.Attribute.of("coordinate_transformation_mode", "half_pixel"));
    }

    /**
     * The guided filter of {@code representation.GuidedFilter#filter} (He et al., Eq. (5), (6), (8)), each channel
     * guided by the same channel of the photo, box means over the window's pixels inside the image, computed on
     * inputs centred by their spatial means as the engine does; then clipped to [-1,1].
     */
    private String guidedFilter(String guide, String input, int radius, float eps) {
        String gMean = g.node("ReduceMean", List.of(guide), OnnxGraph.Attribute.ints("axes", 2, 3),
                OnnxGraph.Attribute.of("keepdims", 1L));
        String pMean = g.node("ReduceMean", List.of(input), OnnxGraph.Attribute.ints("axes", 2, 3),
                OnnxGraph.Attribute.of("keepdims", 1L));
        String i = g.node("Sub", List.of(guide, gMean));
        String p = g.node("Sub", List.of(input, pMean));
        String meanI = box(i, radius);
        String meanP = box(p, radius);
        String corrIp = box(g.node("Mul", List.of(i, p)), radius);
        String corrII = box(g.node("Mul", List.of(i, i)), radius);
        String cov = g.node("Sub", List.of(corrIp, g.node("Mul", List.of(meanI, meanP))));
        String var = g.node("Relu", List.of(g.node("Sub", List.of(corrII, g.node("Mul", List.of(meanI, meanI))))));
        String a = g.node("Div", List.of(cov, g.node("Add", List.of(var, g.scalar("gf.eps", eps)))));
        String b = g.node("Sub", List.of(meanP, g.node("Mul", List.of(a, meanI))));
        String q = g.node("Add", List.of(g.node("Add", List.of(g.node("Mul", List.of(box(a, radius), i)), box(b, radius))), pMean));
        return g.node("Clip", List.of(q, g.scalar("gf.min", -1f), g.scalar("gf.max", 1f)));
    }

    /** The mean over the (2r+1)² window, counting only the pixels inside the image. */
    private String box(String x, int radius) {
        if (radius == 0) {
            return x;
        }
        int k = 2 * radius + 1;
        return g.node("AveragePool", List.of(x), OnnxGraph.Attribute.ints("kernel_shape", k, k),
                OnnxGraph.Attribute.ints("pads", radius, radius, radius, radius),
                OnnxGraph.Attribute.of("count_include_pad", 0L));
    }
}
