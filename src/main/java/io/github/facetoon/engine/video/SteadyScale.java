package io.github.facetoon.engine.video;

import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.infer.WorkingScale;
import io.github.facetoon.engine.model.ModelScale;
import java.util.OptionalDouble;

/**
 * The working size of a video's frames, held steady over time. A photo's working scale comes from its largest face
 * ({@link WorkingScale}); in a video the face is looked for about twice a second, its size is smoothed, a face
 * missed for a moment keeps the last size, and the working size moves only when the smoothed face has changed by
 * more than {@value #HYSTERESIS} of it: the model then sees every frame of a shot at the same scale, which is what
 * keeps a still scene from flickering.
 */
final class SteadyScale {

    /** Relative change of the working scale below which the working size stays. */
    static final double HYSTERESIS = 0.08;
    /** Weight of a new face measurement in the smoothed face size. */
    static final double SMOOTHING = 0.4;
    /** Seconds a face may go unseen before the no-face scale is used. */
    static final double FACE_MEMORY_SECONDS = 3.0;

    private final int width;
    private final int height;
    private final ModelScale model;
    private double smoothedIod = Double.NaN;
    private double lastSeen = Double.NEGATIVE_INFINITY;
    private double scale = Double.NaN;
    private int workingWidth;
    private int workingHeight;

    SteadyScale(int width, int height, ModelScale model) {
        this.width = width;
        this.height = height;
        this.model = model;
    }

    /**
     * Takes a face measurement.
     *
     * @param seconds the frame's time
     * @param largestIod the largest face's inter-ocular distance in output pixels, empty when none was found
     */
    void observe(double seconds, OptionalDouble largestIod) {
        if (largestIod.isPresent() && largestIod.getAsDouble() > 0) {
            double iod = largestIod.getAsDouble();
            smoothedIod = Double.isNaN(smoothedIod) ? iod : (1 - SMOOTHING) * smoothedIod + SMOOTHING * iod;
            lastSeen = seconds;
        } else if (seconds - lastSeen > FACE_MEMORY_SECONDS) {
            smoothedIod = Double.NaN;
        }
        double wanted = WorkingScale.choose(width, height,
                Double.isNaN(smoothedIod) ? OptionalDouble.empty() : OptionalDouble.of(smoothedIod), model);
        if (Double.isNaN(scale) || Math.abs(wanted / scale - 1) > HYSTERESIS) {
            scale = wanted;
            workingWidth = CartoonPipeline.workingSide(width, scale);
            workingHeight = CartoonPipeline.workingSide(height, scale);
        }
    }

    /** Whether a measurement has been taken. */
    boolean ready() {
        return !Double.isNaN(scale);
    }

    int workingWidth() {
        return workingWidth;
    }

    int workingHeight() {
        return workingHeight;
    }

    /** Whether a face is being followed. */
    boolean hasFace() {
        return !Double.isNaN(smoothedIod);
    }
}
