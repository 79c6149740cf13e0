package io.github.facetoon.engine;

import java.nio.file.Path;

/**
 * A model or training state written by {@link StudioEngine#exportModel} or {@link StudioEngine#exportTrainingState}.
 *
 * @param file the file written
 * @param bytes its size
 * @param iteration the iteration of the checkpoint it came from (0 when the checkpoint records none)
 * @param withBase whether it carries the base generator (a model's strength then interpolates the weights; without
 *     one it blends the cartoon with the photo)
 */
public record ExportedFile(Path file, long bytes, int iteration, boolean withBase) {}
