/**
 * OpenCV runtime and the single place where image layouts and value ranges are converted.
 */
package io.github.facetoon.engine.vision;
