package io.github.facetoon.engine.perception;

import java.util.Locale;

/**
 * 68 face landmarks in image pixel coordinates (iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47,
 * mouth 48–67), with the detector box and the crop they were predicted from.
 *
 * @param points 136 values, (x,y) interleaved, in image pixels
 * @param detection the face detector's square box
 * @param crop the square crop the landmark net saw (after refinement)
 */
public record FaceLandmarks(double[] points, FaceCrop detection, FaceCrop crop) {

    /** Number of points. */
    public static final int COUNT = LandmarkNetwork.POINTS;
    /** Outer corner of the subject's right eye (left in the image). */
    public static final int RIGHT_EYE_OUTER = 36;
    /** Outer corner of the subject's left eye (right in the image). */
    public static final int LEFT_EYE_OUTER = 45;

    /** Validates and copies the points. */
    public FaceLandmarks {
        if (points == null || points.length != 2 * COUNT) {
            throw new IllegalArgumentException("expected " + 2 * COUNT + " coordinates");
        }
        points = points.clone();
    }

    /** Returns a copy of the points, (x,y) interleaved. */
    @Override
    public double[] points() {
        return points.clone();
    }

    /**
     * One point's x.
     *
     * @param i index 0–67
     * @return x in pixels
     */
    public double x(int i) {
        return points[2 * i];
    }

    /**
     * One point's y.
     *
     * @param i index 0–67
     * @return y in pixels
     */
    public double y(int i) {
        return points[2 * i + 1];
    }

    /** Distance between the outer eye corners (36, 45), in pixels. */
    public double interOcularDistance() {
        return Math.hypot(x(LEFT_EYE_OUTER) - x(RIGHT_EYE_OUTER), y(LEFT_EYE_OUTER) - y(RIGHT_EYE_OUTER));
    }

    /** The points as JSON: {@code {"points":[[x,y],...],"box":{...},"crop":{...}}}. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"points\":[");
        for (int i = 0; i < COUNT; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.2f,%.2f]", x(i), y(i)));
        }
        sb.append("],\"detection\":").append(json(detection)).append(",\"crop\":").append(json(crop)).append('}');
        return sb.toString();
    }

    private static String json(FaceCrop c) {
        return String.format(Locale.ROOT, "{\"x\":%.2f,\"y\":%.2f,\"size\":%.2f}", c.x(), c.y(), c.size());
    }
}
