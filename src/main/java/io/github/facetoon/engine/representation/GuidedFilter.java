package io.github.facetoon.engine.representation;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The guided filter of He, Sun &amp; Tang (ECCV 2010 / TPAMI 2013), written as differentiable NDArray ops so it can sit
 * inside the training graph, as White-box Cartoonization (Wang &amp; Yu, CVPR 2020, Sec. 3.2 and the post-generator
 * filter of Sec. 3.4) uses it.
 *
 * <p>For every window ω<sub>k</sub> of radius r ((2r+1)² pixels, clipped at the image border) the filter fits the
 * linear model q = a<sub>k</sub>·I + b<sub>k</sub> (He et al., Eq. (1)) with
 * <pre>
 *   a_k = cov_k(I,p) / (var_k(I) + eps)          (He et al., Eq. (5))
 *   b_k = mean_k(p) - a_k·mean_k(I)             (He et al., Eq. (6))
 *   q_i = mean_{k∋i}(a)·I_i + mean_{k∋i}(b)      (He et al., Eq. (8))
 * </pre>
 * where every mean is box(x)/N with box the zero-padded (2r+1)² window sum and N = box(ones) the number of pixels
 * really inside the window, which keeps the border unbiased.
 *
 * <p>{@link #filter} is the per-channel form used by White-box (each guide channel guides the same channel of the
 * input; a one-channel guide guides every input channel).
 *
 * <p>Numerics: before filtering, the per-image, per-channel mean is subtracted from the guide and the input and the
 * input's mean is added back at the end. The filter is exactly invariant to such shifts, and with centred data the
 * variance and covariance (E[x²] − E[x]², a cancellation) lose far fewer float32 digits; a rounding-negative variance
 * is clamped to zero. The box sum is two separable depthwise 1-D convolutions (2·(2r+1) multiply-adds per pixel).
 */
public final class GuidedFilter {

    private final int radius;
    private final float eps;

    /**
     * Creates a guided filter.
     *
     * @param radius window radius r ≥ 0; the window is (2r+1)×(2r+1)
     * @param eps regularisation ε &gt; 0 on the scale of the data (our tensors are in [-1,1])
     */
    public GuidedFilter(int radius, float eps) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must be >= 0, got " + radius);
        }
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
        this.radius = radius;
        this.eps = eps;
    }

    /** Returns the window radius r. */
    public int radius() {
        return radius;
    }

    /** Returns the regularisation ε. */
    public float eps() {
        return eps;
    }

    /**
     * Filters {@code input} guided by {@code guide}, channel by channel (White-box's form).
     *
     * @param guide (N,C,H,W) or (N,1,H,W) float32 guide image I
     * @param input (N,C,H,W) float32 image p to filter
     * @return (N,C,H,W) float32 filtered image q, attached to the input's manager; differentiable w.r.t. both arguments
     */
    public NDArray filter(NDArray guide, NDArray input) {
        checkShapes(guide, input, false);
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Fit fit = fit(guide, input);
            result = fit.meanA.mul(fit.centredGuide).add(fit.meanB).add(fit.inputMean);  // (N,C,H,W), Eq. (8) plus the shift
            NDScope.unregister(result);
        }
        result.attach(input.getManager());
        return result;
    }

    /**
     * The filter's per-pixel linear model {@code q = A·I + B} (He et al., Eq. (8)) without applying it: the
     * coefficients can be resampled to another resolution and applied to a larger guide there, which is the fast
     * guided filter of He &amp; Sun (arXiv 1505.00996) and the guided upsampling of Wu et al. (CVPR 2018).
     * {@code A·guide + B} equals {@link #filter} up to float rounding.
     *
     * @param guide (N,C,H,W) or (N,1,H,W) float32 guide image I
     * @param input (N,C,H,W) float32 image p
     * @return A and B, each (N,C,H,W), attached to the input's manager
     */
    public NDList coefficients(NDArray guide, NDArray input) {
        checkShapes(guide, input, false);
        NDArray a;
        NDArray b;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Fit fit = fit(guide, input);
            a = fit.meanA.duplicate();
            // q = Ā·(I − mean(I)) + B̄ + mean(p) = Ā·I + (B̄ + mean(p) − Ā·mean(I))
            b = fit.meanB.add(fit.inputMean).sub(fit.meanA.mul(fit.guideMean));
            NDScope.unregister(a, b);
        }
        a.attach(input.getManager());
        b.attach(input.getManager());
        return new NDList(a, b);
    }

    /** The window-averaged coefficients of the centred problem, with what it takes to undo the centring. */
    private record Fit(NDArray meanA, NDArray meanB, NDArray centredGuide, NDArray guideMean, NDArray inputMean) {}

    private Fit fit(NDArray guide, NDArray input) {
        long c = input.getShape().get(1);
        long ci = guide.getShape().get(1);
        NDArray norm = windowCounts(input);                              // (1,1,H,W)
        NDArray pMean = spatialMean(input);                              // (N,C,1,1)
        NDArray gMean = spatialMean(guide);                              // (N,Ci,1,1)
        NDArray i = guide.sub(gMean);                                    // (N,Ci,H,W), centred
        NDArray p = input.sub(pMean);                                    // (N,C,H,W), centred

        // All four window means in one depthwise pass over the stack [I, p, I·p, I·I].
        NDList stack = new NDList(i, p, i.mul(p), i.mul(i));
        NDArray means = boxSum(NDArrays.concat(stack, 1), radius).div(norm); // (N,2·Ci+2·C,H,W)
        NDArray meanI = means.get(":,0:" + ci);                                      // (N,Ci,H,W)
        NDArray meanP = means.get(":," + ci + ":" + (ci + c));                       // (N,C,H,W)
        NDArray corrIp = means.get(":," + (ci + c) + ":" + (ci + 2 * c));            // (N,C,H,W)
        NDArray corrII = means.get(":," + (ci + 2 * c) + ":");                       // (N,Ci,H,W)
        NDArray covIp = corrIp.sub(meanI.mul(meanP));                    // He Eq. (5) numerator
        NDArray varI = Tensors.max(corrII.sub(meanI.mul(meanI)), 0);         // clamp rounding below zero

        NDArray a = covIp.div(varI.add(eps));                            // (N,C,H,W), Eq. (5)
        NDArray b = meanP.sub(a.mul(meanI));                             // (N,C,H,W), Eq. (6)
        NDArray meanAB = boxSum(a.concat(b, 1), radius).div(norm);      // (N,2C,H,W)
        return new Fit(meanAB.get(":,0:" + c), meanAB.get(":," + c + ":"), i, gMean, pMean);
    }

    /**
     * Sums every (2r+1)×(2r+1) window with zero padding ("same" size), channel by channel.
     *
     * @param x (N,C,H,W) float32
     * @param radius r ≥ 0
     * @return (N,C,H,W) window sums
     */
    public static NDArray boxSum(NDArray x, int radius) {
        if (radius == 0) {
            return x.duplicate();
        }
        long channels = x.getShape().get(1);
        int k = 2 * radius + 1;
        NDManager m = x.getManager();
        try (NDArray rowKernel = m.ones(new Shape(channels, 1, 1, k), x.getDataType());
                NDArray colKernel = m.ones(new Shape(channels, 1, k, 1), x.getDataType());
                // Depthwise (groups = C): every channel is summed on its own, rows first, then columns.
                NDArray rows = Conv2d.conv2d(x, rowKernel, null, new Shape(1, 1), new Shape(0, radius),
                        new Shape(1, 1), (int) channels).singletonOrThrow()) {    // (N,C,H,W)
            return Conv2d.conv2d(rows, colKernel, null, new Shape(1, 1), new Shape(radius, 0), new Shape(1, 1),
                    (int) channels).singletonOrThrow();                            // (N,C,H,W)
        }
    }

    /**
     * Returns N = box(ones): how many pixels of each window lie inside the image.
     *
     * @param like any (…,H,W) array; the counts are created on its device
     * @return (1,1,H,W) float32 counts
     */
    private NDArray windowCounts(NDArray like) {
        Shape s = like.getShape();
        long h = s.get(s.dimension() - 2);
        long w = s.get(s.dimension() - 1);
        // Computed by the engine, not created from Java data: on the CPU an array created from Java data borrows
        // Java memory, and autograd keeps this one for the backward pass after the scope has closed its wrapper
        // (a garbage-collected buffer then gave non-finite gradients a few steps into a training).
        try (NDArray ones = like.getManager().ones(new Shape(1, 1, h, w), like.getDataType())) {
            return boxSum(ones, radius);
        }
    }

    /** Per-image, per-channel mean: (N,C,H,W) to (N,C,1,1); DJL's PyTorch mean takes one axis at a time. */
    private static NDArray spatialMean(NDArray x) {
        return x.mean(new int[] {3}, true).mean(new int[] {2}, true);
    }

    private static NDArray[] split3(NDArray x) {
        return new NDArray[] {x.get(":,0:1"), x.get(":,1:2"), x.get(":,2:3")};
    }

    private static void checkShapes(NDArray guide, NDArray input, boolean colourGuide) {
        Shape g = guide.getShape();
        Shape p = input.getShape();
        if (g.dimension() != 4 || p.dimension() != 4) {
            throw new IllegalArgumentException("guide and input must be (N,C,H,W), got " + g + " and " + p);
        }
        if (g.get(0) != p.get(0) || g.get(2) != p.get(2) || g.get(3) != p.get(3)) {
            throw new IllegalArgumentException("guide " + g + " and input " + p + " differ in N, H or W");
        }
        if (colourGuide ? g.get(1) != 3 : g.get(1) != 1 && g.get(1) != p.get(1)) {
            throw new IllegalArgumentException(colourGuide
                    ? "a colour guide must have 3 channels, got " + g
                    : "the guide must have 1 channel or as many as the input (" + p.get(1) + "), got " + g);
        }
        if (guide.getDataType() != DataType.FLOAT32 || input.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("guided filter expects float32, got " + guide.getDataType()
                    + " and " + input.getDataType());
        }
    }
}
