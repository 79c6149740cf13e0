package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds faces in a photo and their 68 landmarks in image coordinates: detect, crop a square, run the landmark net,
 * re-centre the crop on the points and run the net again, then map the points back to the image.
 *
 * <p>The re-centring makes the result depend little on the detector: face-api's own detectors give boxes about
 * {@value #LANDMARK_BOX_SCALE}× the landmarks' extent, centred on them, and that is the framing the net was trained
 * on (measured with the package's tiny face detector on the astronaut photo: box 116 px, landmark extent 95 px).
 * Not thread-safe (the network is not).
 */
public final class LandmarkDetector implements AutoCloseable {

    /** Side of the refined crop relative to the larger side of the landmarks' bounding box. */
    public static final double LANDMARK_BOX_SCALE = 1.22;
    /** Side of the first crop relative to the Haar box (Haar boxes are a little tighter than face-api's). */
    public static final double DETECTION_SCALE = 1.1;
    /** Refinement passes after the first prediction. */
    private static final int REFINEMENTS = 2;

    private final FaceDetector detector;
    private final LandmarkNetwork net;
    private final boolean ownsNet;

    /**
     * Combines a detector and a landmark network.
     *
     * @param detector the face detector (closed with this object)
     * @param net the landmark network
     * @param ownsNet whether {@link #close()} closes the network too
     */
    public LandmarkDetector(FaceDetector detector, LandmarkNetwork net, boolean ownsNet) {
        this.detector = detector;
        this.net = net;
        this.ownsNet = ownsNet;
    }

    /**
     * Creates a detector with the shipped cascade and landmark weights, on the CPU.
     *
     * @return the detector; close it when done
     * @throws IOException when a model file is missing or damaged
     */
    public static LandmarkDetector create() throws IOException {
        FaceDetector d = FaceDetector.create();
        return new LandmarkDetector(d, FaceLandmarkNet.load(), true);
    }

    /**
     * Landmarks of the largest face whose landmarks are {@link #plausible}.
     *
     * @param bgr an 8-bit BGR image
     * @return the landmarks, or empty when no face is found
     */
    public Optional<FaceLandmarks> detect(Mat bgr) {
        for (FaceCrop face : detector.detect(bgr)) {
            FaceLandmarks lm = locate(bgr, face);
            if (plausible(lm)) {
                return Optional.of(lm);
            }
        }
        return Optional.empty();
    }

    /**
     * Landmarks of every face found, largest first (implausible detections dropped).
     *
     * @param bgr an 8-bit BGR image
     * @return one entry per face; empty when there is none
     */
    public List<FaceLandmarks> detectAll(Mat bgr) {
        List<FaceLandmarks> out = new ArrayList<>();
        for (FaceCrop face : detector.detect(bgr)) {
            FaceLandmarks lm = locate(bgr, face);
            if (plausible(lm)) {
                out.add(lm);
            }
        }
        return out;
    }

    /**
     * Landmarks of the face in a detector box.
     *
     * @param bgr an 8-bit BGR image
     * @param detection a square face box in image pixels
     * @return the landmarks
     */
    public FaceLandmarks locate(Mat bgr, FaceCrop detection) {
        FaceCrop crop = FaceCrop.centered(detection.centerX(), detection.centerY(), detection.size() * DETECTION_SCALE);
        double[] points = predict(bgr, crop);
        for (int i = 0; i < REFINEMENTS; i++) {
            crop = framing(points);
            points = predict(bgr, crop);
        }
        return new FaceLandmarks(points, detection, crop.toPixels());
    }

    /**
     * Whether the landmarks look like a face the detector meant: the crop the points settled on has about the size of
     * the detector's box and stays near it. The net always answers with 68 points; on a false detection they drift.
     *
     * @param lm landmarks from {@link #locate}
     * @return false when the points wandered off
     */
    public static boolean plausible(FaceLandmarks lm) {
        double ratio = lm.crop().size() / lm.detection().size();
        double shift = Math.hypot(lm.crop().centerX() - lm.detection().centerX(),
                lm.crop().centerY() - lm.detection().centerY());
        return ratio > 0.6 && ratio < 2.5 && shift < 0.6 * lm.detection().size();
    }

    /**
     * The crop the net prefers for a set of points: square, centred on their bounding box, {@value #LANDMARK_BOX_SCALE}×
     * its larger side.
     *
     * @param points (x,y) interleaved, image pixels
     * @return the crop
     */
    public static FaceCrop framing(double[] points) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < points.length; i += 2) {
            minX = Math.min(minX, points[i]);
            maxX = Math.max(maxX, points[i]);
            minY = Math.min(minY, points[i + 1]);
            maxY = Math.max(maxY, points[i + 1]);
        }
        double side = Math.max(1, Math.max(maxX - minX, maxY - minY)) * LANDMARK_BOX_SCALE;
        return FaceCrop.centered((minX + maxX) / 2, (minY + maxY) / 2, side);
    }

    /**
     * Runs the net on one crop.
     *
     * @param bgr the image
     * @param crop the square crop
     * @return 68 points, (x,y) interleaved, in image pixels
     */
    public double[] predict(Mat bgr, FaceCrop crop) {
        FaceCrop pixels = crop.toPixels();
        int size = FaceLandmark68Block.INPUT_SIZE;
        Mat face = cropSquare(bgr, pixels, size);
        float[] chw;
        try {
            chw = ImageTensors.bgrToChw(face);
        } finally {
            face.release();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = net.predict(ImageTensors.toBatch(m, new float[][] {chw}, size, size));
            float[] xy = out.toFloatArray();
            double[] rel = new double[xy.length];
            for (int i = 0; i < xy.length; i++) {
                rel[i] = xy[i];
            }
            return pixels.toImage(rel);
        }
    }

    /**
     * Cuts a square out of an image and resizes it; parts outside the image are black.
     *
     * @param bgr an 8-bit BGR image
     * @param crop the square, in image pixels (rounded to whole pixels)
     * @param size output side
     * @return a new size×size BGR image; the caller releases it
     */
    public static Mat cropSquare(Mat bgr, FaceCrop crop, int size) {
        OpenCvRuntime.ensureLoaded();
        FaceCrop pixels = crop.toPixels();
        int x0 = (int) pixels.x();
        int y0 = (int) pixels.y();
        int side = (int) pixels.size();
        int top = Math.max(0, -y0);
        int left = Math.max(0, -x0);
        int bottom = Math.max(0, y0 + side - bgr.rows());
        int right = Math.max(0, x0 + side - bgr.cols());
        Mat padded = new Mat();
        Mat out = new Mat();
        try {
            Core.copyMakeBorder(bgr, padded, top, bottom, left, right, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            Mat region = padded.submat(new Rect(x0 + left, y0 + top, side, side));
            int interpolation = side > size ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
            Imgproc.resize(region, out, new Size(size, size), 0, 0, interpolation);
            region.release();
            return out;
        } finally {
            padded.release();
        }
    }

    @Override
    public void close() {
        detector.close();
        if (ownsNet) {
            net.close();
        }
    }
}
