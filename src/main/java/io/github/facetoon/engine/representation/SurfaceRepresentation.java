package io.github.facetoon.engine.representation;

import ai.djl.ndarray.NDArray;

/**
 * Surface representation, Wang &amp; Yu, CVPR 2020, Sec. 3.2: the image smoothed by a self-guided filter, which keeps
 * edges and removes texture and detail; it is what the surface discriminator D<sub>s</sub> sees (Eq. (1)).
 *
 * <pre>
 *   F_sf(I) = GF(I, I),  r = 5, eps = 0.2      (per channel, on [-1,1] data)
 * </pre>
 *
 * The radius and ε are those of the reference code (White-box {@code train.py}, ArthurinRUC {@code train.py}); the
 * paper gives no numbers. The result is differentiable, so the generator gets its adversarial gradient through it.
 */
public final class SurfaceRepresentation {

    /** The reference radius. */
    public static final int RADIUS = 5;
    /** The reference ε, on [-1,1] data. */
    public static final float EPS = 0.2f;

    private final GuidedFilter filter;

    /** Creates the representation with the reference settings (r = 5, ε = 0.2). */
    public SurfaceRepresentation() {
        this(RADIUS, EPS);
    }

    /**
     * Creates the representation with other settings.
     *
     * @param radius window radius
     * @param eps regularisation
     */
    public SurfaceRepresentation(int radius, float eps) {
        this.filter = new GuidedFilter(radius, eps);
    }

    /**
     * Computes the surface map.
     *
     * @param images (N,3,H,W) float32 RGB in [-1,1]
     * @return (N,3,H,W) float32, the self-guided filter of the images, on the images' manager
     */
    public NDArray apply(NDArray images) {
        return filter.filter(images, images);
    }
}
