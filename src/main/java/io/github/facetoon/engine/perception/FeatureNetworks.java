package io.github.facetoon.engine.perception;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the content feature network: a user-supplied TorchScript VGG19, the pixels themselves, or the bundled default. */
public final class FeatureNetworks {

    private FeatureNetworks() {}

    /**
     * Whether a {@code --content_net} value is the word {@code pixels} ({@link PixelFeatureNetwork}) rather than a
     * file (a file of that name is given as {@code ./pixels}).
     *
     * @param contentNet the value
     * @return true for exactly "pixels"
     */
    public static boolean isPixels(Path contentNet) {
        return contentNet != null && contentNet.toString().equals(PixelFeatureNetwork.NAME);
    }

    /**
     * Opens the content feature network.
     *
     * @param contentNet a TorchScript file of VGG19 features (torchvision layout, ImageNet normalisation), the
     *     word {@code pixels} ({@link PixelFeatureNetwork}), or null for the bundled default ({@link MobileNetFeatureNetwork}, conv_5 before ReLU6); a TorchScript
     *     file runs code when loaded, so pass only files the user made or trusts
     * @param device where the network runs
     * @return the network; the caller closes it
     * @throws IOException when the file or the shipped weights are missing or damaged (the message names it)
     */
    public static FeatureNetwork open(Path contentNet, Device device) throws IOException {
        return open(contentNet, device, TorchScriptFeatureNetwork.InputNormalization.IMAGENET);
    }

    /**
     * Opens the content feature network with a chosen input normalisation for a TorchScript file.
     *
     * @param contentNet a TorchScript file, or null for the bundled default (which ignores the normalisation:
     *     it has its own)
     * @param device where the network runs
     * @param normalization how a TorchScript module's input is prepared
     * @return the network; the caller closes it
     * @throws IOException when the file or the shipped weights are missing or damaged (the message names it)
     */
    public static FeatureNetwork open(Path contentNet, Device device,
            TorchScriptFeatureNetwork.InputNormalization normalization) throws IOException {
        if (contentNet == null) {
            return MobileNetFeatureNetwork.openDefault(device);
        }
        if (isPixels(contentNet)) {
            return new PixelFeatureNetwork();
        }
        return TorchScriptFeatureNetwork.open(contentNet, device, normalization);
    }
}
