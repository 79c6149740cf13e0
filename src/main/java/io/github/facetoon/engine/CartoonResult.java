package io.github.facetoon.engine;

import io.github.facetoon.engine.vision.PixelImage;
import java.util.List;

/**
 * A cartoonized photo.
 *
 * @param source the photo as used (orientation applied, resized and cropped to a multiple of 8)
 * @param cartoon the cartoon, same size as {@code source}
 * @param model the label of the model that made it
 * @param landmarks face landmarks on {@code source} (68 points as x0,y0,x1,y1,... in pixels), one array per
 *     face; empty when no face was found
 * @param millis time taken, in milliseconds
 */
public record CartoonResult(PixelImage source, PixelImage cartoon, String model, List<float[]> landmarks,
                            long millis) {
    /** Copies the landmark list. */
    public CartoonResult {
        landmarks = List.copyOf(landmarks);
    }
}
