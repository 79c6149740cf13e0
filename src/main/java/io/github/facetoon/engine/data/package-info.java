/**
 * Reading images safely and feeding training batches: {@link io.github.facetoon.engine.data.ImageReader} (any file
 * to an 8-bit BGR Mat, or one clear line), {@link io.github.facetoon.engine.data.ImageWriter} (atomic writes),
 * {@link io.github.facetoon.engine.data.ImageFolder} (folder scans) and
 * {@link io.github.facetoon.engine.data.TrainingData} (deterministic, prefetched batches).
 * Uses OpenCV and {@code engine.vision}; must not import {@code javafx.*}, {@code picocli.*}, {@code app} or {@code cli}.
 */
package io.github.facetoon.engine.data;
