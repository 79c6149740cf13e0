package io.github.facetoon.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.facetoon.engine.model.ModelScale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The working scale: the photo seen at the model's trained scale, whatever its size. */
class WorkingScaleTest {

    private static final ModelScale MODEL = new ModelScale(128, 40, true);

    @Test
    void aFaceIsBroughtToTheTrainedFaceSize() {
        assertEquals(0.25, WorkingScale.choose(2000, 3000, OptionalDouble.of(160), MODEL), 1e-12);
    }

    @Test
    void theSamePhotoAtThreeTimesTheSizeWorksAtTheSameResolution() {
        double s1 = WorkingScale.choose(600, 800, OptionalDouble.of(100), MODEL);
        double s3 = WorkingScale.choose(1800, 2400, OptionalDouble.of(300), MODEL);
        assertEquals(600 * s1, 1800 * s3, 1e-9);
    }

    @Test
    void withoutAFaceTheShortSideIsTwiceTheTrainingSize() {
        double s = WorkingScale.choose(4000, 3000, OptionalDouble.empty(), MODEL);
        assertEquals(256, 3000 * s, 1e-9);
    }

    @Test
    void aSmallFaceIsEnlargedAtMostFourTimes() {
        assertEquals(WorkingScale.MAX_SCALE, WorkingScale.choose(400, 400, OptionalDouble.of(2), MODEL), 1e-12);
    }

    @Test
    void theWorkingImageStaysWithinItsAreaLimit() {
        double s = WorkingScale.choose(8000, 6000, OptionalDouble.of(20), MODEL);
        assertEquals(WorkingScale.MAX_WORKING_PIXELS, 8000 * 6000 * s * s, 1);
    }

    @Test
    void aTinyPhotoIsNotShrunkBelowTheMinimumShortSide() {
        double s = WorkingScale.choose(100, 120, OptionalDouble.of(90), MODEL);
        assertEquals(64.0 / 100, s, 1e-12);
    }

    @Test
    void filesWithoutAMeasuredScaleGetTheDocumentedDefault() {
        ModelScale d = ModelScale.defaultFor(128);
        assertEquals(ModelScale.DEFAULT_FACE_FRACTION * 128, d.faceIod(), 1e-12);
        com.google.gson.JsonObject header = new com.google.gson.JsonObject();
        header.addProperty("imageSize", 256);
        assertEquals(ModelScale.defaultFor(256), ModelScale.fromHeader(header));
        header.add(ModelScale.HEADER_KEY, MODEL.toJson());
        assertEquals(MODEL, ModelScale.fromHeader(header));
    }
}
