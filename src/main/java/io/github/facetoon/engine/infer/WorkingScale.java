package io.github.facetoon.engine.infer;

import io.github.facetoon.engine.model.ModelScale;
import java.util.OptionalDouble;

/**
 * Chooses the resolution the network works at for one photo, so that the photo is seen at the scale the model
 * was trained at:
 * <ul>
 *   <li>with a face: the largest face found is brought to the model's trained face size (its inter-ocular
 *       distance equals {@link ModelScale#faceIod()});</li>
 *   <li>without a face: the short side becomes {@value #NO_FACE_MULTIPLE} times the training size (256 px for a
 *       model trained on 128-px crops);</li>
 * </ul>
 * in both cases within [{@value #MIN_SCALE}, {@value #MAX_SCALE}] of the photo's size, with at least
 * {@value #MIN_SHORT_SIDE} px on the short side and at most {@value #MAX_WORKING_PIXELS} pixels (a group photo with
 * small faces is worked in tiles up to that size, not beyond). The cartoon is then brought to the output size by
 * {@link GuidedUpsampler}.
 */
public final class WorkingScale {

    /** Short side of the working image of a photo without a face, in training sizes. */
    public static final int NO_FACE_MULTIPLE = 2;
    /** The photo is never enlarged more than this for the network. */
    public static final double MAX_SCALE = 4.0;
    /** The photo is never reduced more than this for the network. */
    public static final double MIN_SCALE = 1.0 / 64;
    /** The working image's short side is at least this many pixels (when the photo allows). */
    public static final int MIN_SHORT_SIDE = 64;
    /** The working image's area limit. */
    public static final long MAX_WORKING_PIXELS = 4_000_000L;

    private WorkingScale() {}

    /**
     * The factor from the output photo to the working image.
     *
     * @param width the photo's width
     * @param height the photo's height
     * @param largestFaceIod the largest face's inter-ocular distance in the photo's pixels, empty without a face
     * @param model the model's trained scale
     * @return the scale factor (working side = photo side × factor)
     */
    public static double choose(int width, int height, OptionalDouble largestFaceIod, ModelScale model) {
        int shortSide = Math.min(width, height);
        double s = largestFaceIod.isPresent() && largestFaceIod.getAsDouble() > 0
                ? model.faceIod() / largestFaceIod.getAsDouble()
                : (double) NO_FACE_MULTIPLE * model.trainingSize() / shortSide;
        s = Math.max(MIN_SCALE, Math.min(MAX_SCALE, s));
        s = Math.max(s, Math.min(1.0, (double) MIN_SHORT_SIDE / shortSide));
        double area = (double) width * height * s * s;
        if (area > MAX_WORKING_PIXELS) {
            s *= Math.sqrt(MAX_WORKING_PIXELS / area);
        }
        return s;
    }
}
