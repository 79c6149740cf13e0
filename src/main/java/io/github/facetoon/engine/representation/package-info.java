/**
 * The four representations of the generator's output: surface (guided filter), texture (random colour-shift grey), structure (superpixels with adaptive colouring) and landmark maps.
 */
package io.github.facetoon.engine.representation;
