package io.github.facetoon.engine;

import io.github.facetoon.engine.vision.PixelImage;
import java.util.List;

/**
 * A cartoonized photo.
 *
 * @param source the photo as used (orientation applied, shrunk to the size limit when it was larger)
 * @param cartoon the cartoon, same size as {@code source}
 * @param model the label of the model that made it
 * @param landmarks face landmarks on {@code source} (68 points as x0,y0,x1,y1,... in pixels), one array per
 *     face; empty when no face was found
 * @param millis time taken, in milliseconds
 * @param workingWidth width of the image the model worked on (its trained scale)
 * @param workingHeight height of that image
 * @param strength the strength used
 * @param note how the strength was applied or anything else worth telling ("" when nothing)
 */
public record CartoonResult(PixelImage source, PixelImage cartoon, String model, List<float[]> landmarks,
                            long millis, int workingWidth, int workingHeight, double strength, String note) {
    /** Copies the landmark list. */
    public CartoonResult {
        landmarks = List.copyOf(landmarks);
        note = note == null ? "" : note;
    }

    /**
     * A result made at the source's own size and strength 1.
     *
     * @param source the photo
     * @param cartoon the cartoon
     * @param model the model's label
     * @param landmarks the landmarks
     * @param millis time taken
     */
    public CartoonResult(PixelImage source, PixelImage cartoon, String model, List<float[]> landmarks, long millis) {
        this(source, cartoon, model, landmarks, millis, source.width(), source.height(), 1.0, "");
    }
}
