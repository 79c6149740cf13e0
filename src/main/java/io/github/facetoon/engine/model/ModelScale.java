package io.github.facetoon.engine.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The scale a model was trained at: the side of its square training crops and how large faces were in them,
 * measured by the training itself as the median distance between the outer eye corners (landmarks 36 and 45)
 * of the training photos' faces, in pixels of a training crop. Inference works at this scale whatever the photo's
 * size, so a model's look does not depend on how big the photo is.
 *
 * <p>Checkpoints and models written before the training measured it carry only their training size; they get
 * {@link #DEFAULT_FACE_FRACTION} of it, the median measured on the face crops of {@code scripts/build-dataset.sh}
 * at 128 px (see docs/engine.md, "Working scale").
 *
 * @param trainingSize the side of the training crops in pixels
 * @param faceIod median inter-ocular distance of the training faces in pixels of a training crop
 * @param measured whether {@code faceIod} was measured by the training (false: the documented default)
 */
public record ModelScale(int trainingSize, double faceIod, boolean measured) {

    /** Header key of the measured face size. */
    public static final String HEADER_KEY = "modelScale";
    /** Inter-ocular distance as a fraction of the training size for files that do not record it. */
    public static final double DEFAULT_FACE_FRACTION = 0.43;

    /** Validates the figures. */
    public ModelScale {
        if (trainingSize < 8) {
            throw new IllegalArgumentException("training size must be at least 8, got " + trainingSize);
        }
        if (!(faceIod > 0) || !Double.isFinite(faceIod)) {
            throw new IllegalArgumentException("face size must be positive, got " + faceIod);
        }
    }

    /**
     * The documented default for a training size.
     *
     * @param trainingSize the side of the training crops
     * @return the scale, marked as not measured
     */
    public static ModelScale defaultFor(int trainingSize) {
        return new ModelScale(trainingSize, DEFAULT_FACE_FRACTION * trainingSize, false);
    }

    /**
     * Reads the scale from a checkpoint or model header.
     *
     * @param header the header
     * @return what it records, else the default for its image size (128 when it has none)
     */
    public static ModelScale fromHeader(JsonObject header) {
        int size = 128;
        JsonElement s = header.get("imageSize");
        if (s != null && s.isJsonPrimitive()) {
            size = s.getAsInt();
        }
        JsonElement m = header.get(HEADER_KEY);
        if (m != null && m.isJsonObject()) {
            JsonObject o = m.getAsJsonObject();
            if (o.has("trainingSize") && o.has("faceIod")) {
                return new ModelScale(o.get("trainingSize").getAsInt(), o.get("faceIod").getAsDouble(), true);
            }
        }
        return defaultFor(Math.max(8, size));
    }

    /** This scale as a header entry. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("trainingSize", trainingSize);
        o.addProperty("faceIod", faceIod);
        return o;
    }
}
