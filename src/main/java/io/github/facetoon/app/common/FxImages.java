package io.github.facetoon.app.common;

import io.github.facetoon.engine.vision.PixelImage;
import java.nio.IntBuffer;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/** Converts engine images to JavaFX images (safe to call off the FX thread). */
public final class FxImages {

    private FxImages() {}

    /**
     * Copies a pixel image into a JavaFX image.
     *
     * @param image the pixels, or null
     * @return the image, or null for null
     */
    public static Image toFx(PixelImage image) {
        if (image == null) {
            return null;
        }
        WritableImage out = new WritableImage(image.width(), image.height());
        out.getPixelWriter().setPixels(0, 0, image.width(), image.height(), PixelFormat.getIntArgbInstance(),
                IntBuffer.wrap(image.argb()), image.width());
        return out;
    }

    /**
     * Copies a JavaFX image (a snapshot, say) into engine pixels.
     *
     * @param image the image
     * @return its ARGB pixels
     */
    public static PixelImage toPixels(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return new PixelImage(w, h, argb);
    }
}
