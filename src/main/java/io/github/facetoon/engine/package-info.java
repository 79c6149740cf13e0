/**
 * The engine: training, inference and perception on DJL and OpenCV. Public API: {@link io.github.facetoon.engine.StudioEngine}. Must not import javafx, picocli or the app and cli packages.
 */
package io.github.facetoon.engine;
