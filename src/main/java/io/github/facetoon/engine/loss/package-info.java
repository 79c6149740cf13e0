/**
 * Loss families of the generator and discriminator objectives and their weighted sum.
 */
package io.github.facetoon.engine.loss;
