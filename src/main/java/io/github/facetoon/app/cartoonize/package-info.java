/**
 * The Cartoonize page: dropped photos cartoonized in the background and the before/after viewer (split or side by
 * side, shared zoom and pan, landmark overlay).
 */
package io.github.facetoon.app.cartoonize;
