package io.github.facetoon.engine;

import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.Optional;

/**
 * The largest face of a photo ({@link StudioEngine#landmarks}).
 *
 * @param face its 68 landmarks in the photo's pixels, empty when no face was found
 * @param drawing the photo with the landmarks drawn on it, when asked for and a face was found; else null
 */
public record FaceOnPhoto(Optional<FaceLandmarks> face, PixelImage drawing) {}
