/**
 * Exports of trained models to formats other programs run: the generator as an ONNX graph, written without a
 * protobuf library. Knows nothing of JavaFX or the command line.
 */
package io.github.facetoon.engine.export;
