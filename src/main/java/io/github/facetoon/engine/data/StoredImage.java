package io.github.facetoon.engine.data;

import java.nio.file.Path;

/**
 * A training image decoded and resized once: interleaved 8-bit BGR, row-major, kept in memory for the whole run.
 *
 * @param file where it came from
 * @param bgr the pixels
 * @param width width in pixels
 * @param height height in pixels
 * @param face whether the face detector found a face in it (it is then a crop around the face)
 */
record StoredImage(Path file, byte[] bgr, int width, int height, boolean face) {}
