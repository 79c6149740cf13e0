package io.github.facetoon.engine.train;

import ai.djl.ndarray.NDArray;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.PixelImage;

/** Lays out a small batch of images side by side in one preview image, with a 2-pixel gap. */
final class PreviewStrip {

    private static final int GAP = 2;

    private PreviewStrip() {}

    /**
     * Renders an (N,C,H,W) batch in [-1,1] (C = 3, or 1 for grey maps) as one strip.
     *
     * @param batch the batch
     * @return the strip
     */
    static PixelImage of(NDArray batch) {
        long[] s = batch.getShape().getShape();
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] all = batch.toFloatArray();
        int per = (int) (s[1] * h * w);
        int width = n * w + (n - 1) * GAP;
        int[] argb = new int[width * h];
        java.util.Arrays.fill(argb, 0xff202020);
        for (int i = 0; i < n; i++) {
            float[] one = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
            PixelImage img = ImageTensors.chwToPixels(one, h, w);
            for (int y = 0; y < h; y++) {
                System.arraycopy(img.argb(), y * w, argb, y * width + i * (w + GAP), w);
            }
        }
        return new PixelImage(width, h, argb);
    }

    /**
     * Lays out already rendered images of equal size as one strip.
     *
     * @param images the images
     * @return the strip
     */
    static PixelImage of(java.util.List<PixelImage> images) {
        int n = images.size();
        int w = images.get(0).width();
        int h = images.get(0).height();
        int width = n * w + (n - 1) * GAP;
        int[] argb = new int[width * h];
        java.util.Arrays.fill(argb, 0xff202020);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(images.get(i).argb(), y * w, argb, y * width + i * (w + GAP), w);
            }
        }
        return new PixelImage(width, h, argb);
    }
}
