package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;

/**
 * The pixels themselves as the "feature network" of the content and structure terms ({@code --content_net pixels}):
 * the content term becomes a pixel L1 distance to its target (the photo, or with {@code --target cartoon|inked} the
 * cartoon-filter rendering of it) and the structure term a pixel L1 distance to the output's own superpixel image.
 * Where a deep network's features forgive changes of colour and contrast, pixels hold the target's exact tones and
 * strokes and pull the output's regions flat; the terms keep their relative normalisation ({@code ContentLoss}).
 */
public final class PixelFeatureNetwork implements FeatureNetwork {

    /** The {@code --content_net} value that chooses it. */
    public static final String NAME = "pixels";

    @Override
    public NDArray features(NDArray images) {
        return images;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        // nothing held
    }
}
