package io.github.facetoon.engine.video;

import java.io.IOException;
import java.nio.file.Path;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * How much a cartoon video flickers: the mean absolute change between consecutive frames of the cartoon over that of
 * the input (both as 8-bit pixels, all channels). A cartoon that follows only the scene's own motion gives about 1;
 * one that redraws its strokes or shading differently every frame gives more.
 */
public final class Flicker {

    private Flicker() {}

    /**
     * The flicker ratio of a cartoon video against its input.
     *
     * @param input the input video
     * @param cartoon its cartoon (the same frame count; frames are compared at the cartoon's size)
     * @return mean |c_t − c_{t−1}| / mean |x_t − x_{t−1}|
     * @throws IOException when a file cannot be read or they have no two frames in common
     */
    public static double ratio(Path input, Path cartoon) throws IOException {
        double[] in = meanChange(input, null);
        VideoInfo made = VideoCartoonizer.probe(cartoon);
        double[] out = meanChange(cartoon, new Size(made.width(), made.height()));
        if (in[1] < 1 || out[1] < 1 || in[0] <= 0) {
            throw new IOException("the videos have fewer than two frames to compare");
        }
        return (out[0] / out[1]) / (in[0] / in[1]);
    }

    /** {sum of the mean absolute change between consecutive frames, number of pairs}. */
    private static double[] meanChange(Path video, Size size) throws IOException {
        double sum = 0;
        long pairs = 0;
        try (VideoReader r = new VideoReader(video)) {
            Mat prev = null;
            Mat diff = new Mat();
            while (true) {
                VideoReader.Frame f = r.next(null);
                if (f == null) {
                    break;
                }
                Mat cur = f.bgr();
                if (size != null && (cur.cols() != size.width || cur.rows() != size.height)) {
                    Mat s = new Mat();
                    Imgproc.resize(cur, s, size, 0, 0, Imgproc.INTER_AREA);
                    cur.release();
                    cur = s;
                }
                if (prev != null) {
                    Core.absdiff(cur, prev, diff);
                    Scalar m = Core.mean(diff);
                    sum += (m.val[0] + m.val[1] + m.val[2]) / 3;
                    pairs++;
                    prev.release();
                }
                prev = cur;
            }
            if (prev != null) {
                prev.release();
            }
            diff.release();
        }
        return new double[] {sum, pairs};
    }
}
