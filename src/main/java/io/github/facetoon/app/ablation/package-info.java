/**
 * The ablation board: weight sets fine-tuned one after another from the same checkpoint, tested on the same photos
 * and compared in a grid that exports as PNG.
 */
package io.github.facetoon.app.ablation;
