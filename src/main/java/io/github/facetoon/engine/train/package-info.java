/**
 * Training loops (pretrain, train), optimiser, checkpoints, live weights and the event stream.
 */
package io.github.facetoon.engine.train;
