package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;

/**
 * A differentiable 68-point face landmark regressor (iBUG 300-W layout) whose input is a face crop.
 */
public interface LandmarkNetwork extends AutoCloseable {

    /** Number of points. */
    int POINTS = 68;

    /**
     * Predicts landmarks, differentiable with respect to {@code faces}.
     *
     * @param faces (N,3,H,W) RGB in [-1,1], square face crops of any size (resized inside, differentiably)
     * @return (N,68,2) points as (x,y) in [0,1] crop coordinates, on the same manager as {@code faces}
     */
    NDArray predict(NDArray faces);

    @Override
    void close();
}
