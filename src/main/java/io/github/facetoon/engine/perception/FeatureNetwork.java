package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;

/**
 * A frozen convolutional feature extractor used by the content and structure losses (White-box uses VGG19
 * conv4_4). Gradients flow through it to its input; its own parameters never change.
 */
public interface FeatureNetwork extends AutoCloseable {

    /**
     * Computes feature maps, differentiable with respect to {@code images}.
     *
     * @param images (N,3,H,W) RGB in [-1,1] on the network's device; H and W multiples of 8
     * @return (N,C,h,w) feature maps, on the same manager as {@code images}
     */
    NDArray features(NDArray images);

    /** A short name for logs and checkpoints, e.g. "face-api-ssd-mobilenetv1/conv_5" or "vgg19/conv4_4". */
    String name();

    @Override
    void close();
}
