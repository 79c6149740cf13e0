/**
 * Frozen perception networks: the 68-point face landmark net, the content feature net, face detection and crops, and the tfjs weight reader.
 */
package io.github.facetoon.engine.perception;
