package io.github.facetoon.engine.infer;

import io.github.facetoon.engine.model.ModelScale;
import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A photo's way to its cartoon at its own size: shrink to the output cap, find faces, choose the working scale
 * ({@link WorkingScale}), fit the model's inference filter there and bring it back with {@link GuidedUpsampler}.
 * The studio, the command line, {@code evaluate} and the benchmark all go through {@link #run}.
 */
public final class CartoonPipeline {

    /** Longest side faces are searched at; larger photos are searched on a shrunk copy. */
    public static final int DETECTION_SIDE = 1280;

    /** What turns a working image into the inference filter's coefficients. */
    public interface WorkingModel {
        /**
         * Fits the model at the working size.
         *
         * @param working the photo at the working size, 8-bit BGR
         * @param strength the strength
         * @return {A, B} (see {@link Cartoonizer#fit})
         */
        float[][] fit(Mat working, double strength);

        /** The scale the model was trained at. */
        ModelScale scale();
    }

    /** Finds faces (68 landmarks each) on an 8-bit BGR image; empty when there are none or no detector. */
    public interface FaceFinder {
        /**
         * Finds the faces.
         *
         * @param bgr the image
         * @return the faces, in the image's pixels
         */
        List<FaceLandmarks> find(Mat bgr);
    }

    /**
     * A cartoon made by {@link #run}. The caller closes it (it releases both images).
     *
     * @param photo the photo at the output size (orientation applied)
     * @param cartoon the cartoon, the same size
     * @param faces the faces found, in the output's pixels
     * @param workingWidth width the model worked at
     * @param workingHeight height the model worked at
     */
    public record Made(Mat photo, Mat cartoon, List<FaceLandmarks> faces, int workingWidth, int workingHeight)
            implements AutoCloseable {
        @Override
        public void close() {
            photo.release();
            cartoon.release();
        }
    }

    private CartoonPipeline() {}

    /**
     * Cartoonizes a decoded photo.
     *
     * @param decoded the photo, 8-bit BGR (not released; a shrunk copy is made when it is over the cap)
     * @param maxShortSide the output's short-side cap, 0 for the photo's own size
     * @param strength the strength
     * @param model the model
     * @param faces the face finder
     * @return the cartoon
     */
    public static Made run(Mat decoded, int maxShortSide, double strength, WorkingModel model, FaceFinder faces) {
        OpenCvRuntime.ensureLoaded();
        Mat output = shrinkTo(decoded, maxShortSide);
        if (output == decoded) {
            output = decoded.clone();
        }
        try {
            List<FaceLandmarks> found = findScaled(output, faces);
            OptionalDouble iod = found.stream().mapToDouble(FaceLandmarks::interOcularDistance).max();
            double scale = WorkingScale.choose(output.cols(), output.rows(), iod, model.scale());
            int ww = workingSide(output.cols(), scale);
            int wh = workingSide(output.rows(), scale);
            Mat cartoon = cartoonAt(output, ww, wh, strength, model);
            return new Made(output, cartoon, found, ww, wh);
        } catch (RuntimeException e) {
            output.release();
            throw e;
        }
    }

    /**
     * A side of the working image.
     *
     * @param side the output's side
     * @param scale the working scale
     * @return the working side, at least 8
     */
    public static int workingSide(int side, double scale) {
        return Math.max(8, (int) Math.round(side * scale));
    }

    /**
     * The cartoon of an image at a working size chosen by the caller (a video holds it steady across frames).
     *
     * @param output the image at the output size, 8-bit BGR (not released)
     * @param workingWidth the width the model works at
     * @param workingHeight the height the model works at
     * @param strength the strength
     * @param model the model
     * @return the cartoon at the output size (the caller releases it)
     */
    public static Mat cartoonAt(Mat output, int workingWidth, int workingHeight, double strength, WorkingModel model) {
        OpenCvRuntime.ensureLoaded();
        Mat working = new Mat();
        try {
            Imgproc.resize(output, working, new Size(workingWidth, workingHeight), 0, 0,
                    workingWidth < output.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
            float[][] ab = model.fit(working, strength);
            return GuidedUpsampler.apply(ab[0], ab[1], workingHeight, workingWidth, output);
        } finally {
            working.release();
        }
    }

    /**
     * The photo shrunk (area-averaged) so that its short side is at most {@code maxShortSide}.
     *
     * @param bgr the photo
     * @param maxShortSide the cap, 0 for none
     * @return a new Mat, or {@code bgr} itself when it fits
     */
    public static Mat shrinkTo(Mat bgr, int maxShortSide) {
        int shortSide = Math.min(bgr.rows(), bgr.cols());
        if (maxShortSide <= 0 || shortSide <= maxShortSide) {
            return bgr;
        }
        double s = (double) maxShortSide / shortSide;
        Mat out = new Mat();
        Imgproc.resize(bgr, out, new Size(Math.max(1, Math.round(bgr.cols() * s)), Math.max(1, Math.round(bgr.rows() * s))),
                0, 0, Imgproc.INTER_AREA);
        return out;
    }

    /**
     * Finds faces on an image of any size: on a copy shrunk to {@link #DETECTION_SIDE} when larger, with the points
     * scaled back to the image's pixels.
     *
     * @param bgr the image
     * @param faces the finder
     * @return the faces in the image's pixels
     */
    public static List<FaceLandmarks> findScaled(Mat bgr, FaceFinder faces) {
        int longSide = Math.max(bgr.rows(), bgr.cols());
        if (longSide <= DETECTION_SIDE) {
            return faces.find(bgr);
        }
        double s = (double) DETECTION_SIDE / longSide;
        Mat small = new Mat();
        try {
            Imgproc.resize(bgr, small, new Size(Math.round(bgr.cols() * s), Math.round(bgr.rows() * s)), 0, 0,
                    Imgproc.INTER_AREA);
            List<FaceLandmarks> out = new ArrayList<>();
            for (FaceLandmarks f : faces.find(small)) {
                double[] p = f.points();
                for (int i = 0; i < p.length; i++) {
                    p[i] /= s;
                }
                out.add(new FaceLandmarks(p, f.detection().scaled(1 / s), f.crop().scaled(1 / s)));
            }
            return out;
        } finally {
            small.release();
        }
    }
}
