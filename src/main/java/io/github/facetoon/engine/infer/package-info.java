/**
 * Inference: generator plus guided filter on photos of any size, and the classic filter.
 */
package io.github.facetoon.engine.infer;
