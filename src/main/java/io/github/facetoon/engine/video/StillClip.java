package io.github.facetoon.engine.video;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A still scene filmed by a hand-held camera, made from one photo: each frame is the photo moved by a drifting
 * fraction of a pixel, with sensor noise. What {@code bench} measures the video path and its flicker on, and what
 * the tests make their clips from.
 */
public final class StillClip {

    private StillClip() {}

    /**
     * One frame.
     *
     * @param photo the scene, 8-bit BGR
     * @param index the frame number
     * @param noiseSigma the noise's standard deviation in grey levels
     * @param seed the noise's seed
     * @return the frame (the caller releases it)
     */
    public static Mat frame(Mat photo, int index, double noiseSigma, long seed) {
        double dx = 0.6 * Math.sin(index * 0.7);
        double dy = 0.4 * Math.cos(index * 0.5);
        Mat shift = new Mat(2, 3, CvType.CV_64F);
        shift.put(0, 0, 1, 0, dx, 0, 1, dy);
        Mat moved = new Mat();
        Imgproc.warpAffine(photo, moved, shift, photo.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT);
        Mat f = new Mat();
        moved.convertTo(f, CvType.CV_32FC3);
        Mat noise = new Mat(f.size(), CvType.CV_32FC3);
        Core.setRNGSeed((int) (seed * 1000 + index));
        Core.randn(noise, 0, noiseSigma);
        Core.add(f, noise, f);
        Mat out = new Mat();
        f.convertTo(out, CvType.CV_8UC3);
        shift.release();
        moved.release();
        f.release();
        noise.release();
        return out;
    }

    /**
     * The photo scaled and cropped to fill a frame size (the centre kept).
     *
     * @param photo the photo
     * @param width the frame width
     * @param height the frame height
     * @return a new image of that size
     */
    public static Mat cover(Mat photo, int width, int height) {
        double s = Math.max((double) width / photo.cols(), (double) height / photo.rows());
        Mat big = new Mat();
        Imgproc.resize(photo, big, new Size(Math.ceil(photo.cols() * s), Math.ceil(photo.rows() * s)), 0, 0,
                s > 1 ? Imgproc.INTER_CUBIC : Imgproc.INTER_AREA);
        Mat out = big.submat(new Rect((big.cols() - width) / 2, (big.rows() - height) / 2, width, height)).clone();
        big.release();
        return out;
    }

    /**
     * Writes a silent clip.
     *
     * @param out the file; its extension picks the container
     * @param photo the scene, at the clip's frame size
     * @param frames how many frames
     * @param fps frames per second
     * @param noiseSigma the sensor noise
     * @throws IOException when it cannot be written
     */
    public static void write(Path out, Mat photo, int frames, int fps, double noiseSigma) throws IOException {
        VideoFormats.Container c = VideoFormats.container(out)
                .orElseThrow(() -> new IOException(out.getFileName() + " is not a video file name"));
        try (VideoWriter w = new VideoWriter(out, c, photo.cols(), photo.rows(), new AVRational().num(1).den(fps),
                new AVRational().num(fps).den(1), 4_000_000, null, 0)) {
            for (int i = 0; i < frames; i++) {
                Mat f = frame(photo, i, noiseSigma, 1);
                w.write(f, i);
                f.release();
            }
            w.finish();
        }
    }
}
