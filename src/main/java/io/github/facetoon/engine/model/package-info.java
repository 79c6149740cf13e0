/**
 * The networks: the White-box U-Net generator, spectral-norm patch discriminators and their parts, as DJL blocks.
 */
package io.github.facetoon.engine.model;
