package io.github.facetoon.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.facetoon.engine.perception.LandmarkNetwork;

/**
 * Landmark consistency between the generator's output and its photo: the 68 points a frozen landmark network finds
 * on G(x) must match those it finds on x. A non-adversarial term (the seed's README figure shows {@code L_landmark}
 * between "Input Landmark" and "Output Landmark"; the closest published form is the landmark-consistency loss of
 * Landmark-Assisted CycleGAN, Wu et al. 2019, arXiv:1907.01424, its L_c, there on heatmaps).
 *
 * <pre>
 *   d_i  = (1/68) Σ_k ‖p_ik − t_ik‖₂ / ‖t_i,45 − t_i,36‖₂          (per image, normalised mean error)
 *   L    = Σ_i m_i d_i / max(1, Σ_i m_i)
 * </pre>
 *
 * where p = points predicted on G(x), t = points predicted on x (detached: a target, no gradient), both in [0,1]
 * crop coordinates; 36 and 45 are the outer eye corners (iBUG 300-W), so the denominator is the target's
 * inter-ocular distance; m_i is 1 for an image with a face and a usable target (inter-ocular distance at least
 * {@value #MIN_INTER_OCULAR} of the crop), else 0. The Euclidean norm is computed as √(‖·‖² + ε) − √ε with
 * ε = {@value #EPSILON}: 0 (to float rounding) when the points agree, and with a finite gradient there, where
 * the plain norm's gradient is undefined.
 *
 * <p>Deviation: Wu et al. compare heatmaps with an L2 norm; we compare points (the normalised mean error used to
 * evaluate landmark detectors), which needs no heatmap regressor and is scale-free.
 */
public final class LandmarkLoss {

    /** Smallest usable target inter-ocular distance, as a fraction of the crop side. */
    public static final double MIN_INTER_OCULAR = 0.05;
    /** Smoothing of the Euclidean norm near zero. */
    public static final double EPSILON = 1e-12;

    private static final int RIGHT_EYE_OUTER = 36;
    private static final int LEFT_EYE_OUTER = 45;

    private final LandmarkNetwork network;

    /**
     * Creates the loss on a landmark network.
     *
     * @param network a frozen landmark network (not closed by this object)
     */
    public LandmarkLoss(LandmarkNetwork network) {
        this.network = network;
    }

    /**
     * Computes the term on face crops.
     *
     * @param fake (N,3,H,W) the generator's output in [-1,1], square face crops; gradients flow back into it
     * @param photo (N,3,H',W') the photos G was given, same framing; only used as a target
     * @param hasFace (N) 1 where the image holds a face, 0 where not; {@code null} when all do
     * @return a scalar
     */
    public NDArray compute(NDArray fake, NDArray photo, NDArray hasFace) {
        // The target is a constant: no gradient through the photo's branch.
        NDArray target = network.predict(photo.stopGradient()).stopGradient();
        // (N,3,H,W) -> (N,68,2)
        NDArray predicted = network.predict(fake);
        return distance(predicted, target, hasFace);
    }

    /**
     * Computes the term on points.
     *
     * @param predicted (N,68,2) points on G(x), [0,1] crop coordinates
     * @param target (N,68,2) points on x (treated as constants)
     * @param hasFace (N) 1 where the image holds a face, else 0; {@code null} when all do
     * @return a scalar: the mean normalised error over the images that count, 0 when none does
     */
    public static NDArray distance(NDArray predicted, NDArray target, NDArray hasFace) {
        if (!predicted.getShape().equals(target.getShape()) || predicted.getShape().dimension() != 3
                || predicted.getShape().get(2) != 2) {
            throw new IllegalArgumentException("expected two (N,K,2) point sets of the same shape, got "
                    + predicted.getShape() + " and " + target.getShape());
        }
        long n = predicted.getShape().get(0);
        NDArray t = target.stopGradient();
        // (N,K,2) -> (N,K): smoothed Euclidean distance, exactly 0 for equal points
        NDArray dist = predicted.sub(t).square().sum(new int[] {2}).add(EPSILON).sqrt().sub(Math.sqrt(EPSILON));
        NDArray iod = interOcular(t);
        NDArray usable = iod.gte(MIN_INTER_OCULAR).toType(DataType.FLOAT32, false);
        NDArray mask = hasFace == null ? usable : usable.mul(hasFace.reshape(n).toType(DataType.FLOAT32, false));
        // (N,K) -> (N): mean over points, normalised; images that do not count get a safe denominator and weight 0
        NDArray perImage = dist.mean(new int[] {1}).div(iod.maximum(MIN_INTER_OCULAR));
        NDArray count = mask.sum().maximum(1f);
        return perImage.mul(mask).sum().div(count);
    }

    /**
     * The per-image mask of usable targets: 1 where the target's inter-ocular distance is at least
     * {@value #MIN_INTER_OCULAR}, else 0.
     *
     * @param target (N,68,2) points
     * @return (N) float mask
     */
    public static NDArray usableTargets(NDArray target) {
        return interOcular(target).gte(MIN_INTER_OCULAR).toType(DataType.FLOAT32, false);
    }

    private static NDArray interOcular(NDArray points) {
        // (N,K,2) -> (N,2) twice -> (N)
        NDArray eyes = points.get(new NDIndex(":, {}, :", RIGHT_EYE_OUTER))
                .sub(points.get(new NDIndex(":, {}, :", LEFT_EYE_OUTER)));
        return eyes.square().sum(new int[] {1}).sqrt();
    }
}
