/**
 * Cartoon-quality measurements: how far a cartoon is from its photo once a plain colour shift is set aside,
 * how much flatter it is, how its fine texture and dark lines change, how many colours it keeps, and the
 * per-photo and per-model records that carry these figures (with the landmark error) to tables and JSON.
 *
 * <p>Pure measurement: OpenCV, Gson and plain Java only; no JavaFX, no picocli, no network, no model. The
 * figures are defined in {@code docs/evaluation.md} and in {@link io.github.facetoon.engine.eval.CartoonMetrics}.
 */
package io.github.facetoon.engine.eval;
