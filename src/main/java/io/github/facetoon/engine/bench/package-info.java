/**
 * Performance measurement of the engine: FLOP counts from the layer shapes, inference and training timings, input
 * waits, preview cost, memory and drift, and the side-by-side run of the Python reference in {@code bench/}.
 * Reports are Gson trees; printing them is the CLI's job. Must not import picocli or javafx.
 */
package io.github.facetoon.engine.bench;
