package io.github.facetoon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scores, rows and the per-model report: accessors, medians, table and JSON. No natives needed. */
class EvaluationReportTest {

    private static CartoonScore score(double mad, double flatPhoto, double flatCartoon, double texture,
                                      double inkPhoto, double inkCartoon) {
        return new CartoonScore(mad, new double[] {10 * mad, -5, 2}, mad / 2, flatPhoto, flatCartoon, texture,
                texture, Double.NaN, inkPhoto, inkCartoon, 0.9, 0);
    }

    private static EvaluationReport threeRows() {
        return EvaluationReport.of("m1", List.of(
                new ImageEvaluation("a.png", score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03), 0.02, true, true),
                new ImageEvaluation("b.png", score(0.3, 0.2, 0.5, Double.NaN, 0.01, 0.05), Double.NaN, false, false),
                new ImageEvaluation("c.png", score(0.2, 0.5, 0.6, 0.9, 0.02, 0.02), 0.04, true, false)));
    }

    @Test
    void gainsAreCartoonMinusPhoto() {
        CartoonScore s = score(0.1, 0.4, 0.65, 1, 0.02, 0.035);
        assertEquals(0.25, s.flatGain(), 1e-12);
        assertEquals(0.015, s.inkGain(), 1e-12);
    }

    @Test
    void maxAbsCastIsTheLargestChannelShift() {
        assertEquals(12, new CartoonScore(0, new double[] {3, -12, 5}, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0).maxAbsCast(), 0);
    }

    @Test
    void castIsCopiedInAndOut() {
        double[] cast = {1, 2, 3};
        CartoonScore s = new CartoonScore(0, cast, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0);
        cast[0] = 99;
        s.cast()[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, s.cast(), 0);
    }

    @Test
    void scoresWithEqualFiguresAreEqual() {
        assertEquals(score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03), score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03));
        assertEquals(score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03).hashCode(), score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03).hashCode());
    }

    @Test
    void medianScoreTakesEachFigureOnItsOwn() {
        CartoonScore m = threeRows().median();
        assertEquals(0.2, m.mad(), 1e-12);
        assertArrayEquals(new double[] {2, -5, 2}, m.cast(), 1e-12);
        assertEquals(0.4, m.flatPhoto(), 1e-12);
        assertEquals(0.6, m.flatCartoon(), 1e-12);
        assertEquals(0.85, m.texture(), 1e-12, "NaN skipped, mean of 0.8 and 0.9");
        assertTrue(Double.isNaN(m.textureOffEdges()), "all NaN");
    }

    @Test
    void medianGainsAreMediansOfTheRowsGains() {
        EvaluationReport r = threeRows();
        assertEquals(0.2, r.medianFlatGain(), 1e-12, "gains 0.2, 0.3, 0.1");
        assertEquals(0.01, r.medianInkGain(), 1e-12, "gains 0.01, 0.04, 0");
    }

    @Test
    void medianLandmarkErrorUsesRowsWithAFace() {
        assertEquals(0.03, threeRows().medianLandmarkNme(), 1e-12);
    }

    @Test
    void countsFacesKept() {
        EvaluationReport r = threeRows();
        assertEquals(2, r.facesOnPhotos());
        assertEquals(1, r.facesKept());
        assertEquals(0.5, r.faceKeptShare(), 0);
    }

    @Test
    void faceKeptShareIsNaNWithoutFaces() {
        EvaluationReport r = EvaluationReport.of("m", List.of(
                new ImageEvaluation("a.png", score(0.1, 0.4, 0.6, 0.8, 0.02, 0.03), Double.NaN, false, false)));
        assertTrue(Double.isNaN(r.faceKeptShare()));
    }

    @Test
    void emptyReportHasNaNMedians() {
        EvaluationReport r = EvaluationReport.of("m", List.of());
        assertTrue(Double.isNaN(r.median().mad()));
        assertTrue(Double.isNaN(r.medianFlatGain()));
    }

    @Test
    void tableHasARowPerPhotoAndTheMedians() {
        String[] lines = threeRows().toTable().split("\n");
        assertEquals(2 + 3 + 1, lines.length);
        assertTrue(lines[2].startsWith("a.png"), lines[2]);
        assertTrue(lines[2].contains("kept"), lines[2]);
        assertTrue(lines[3].contains(" - "), "NaN shows as a dash: " + lines[3]);
        assertTrue(lines[4].contains("lost"), lines[4]);
        assertTrue(lines[5].startsWith("median"), lines[5]);
        assertTrue(lines[5].contains("1/2"), lines[5]);
    }

    @Test
    void jsonCarriesRowsAndMediansWithNaNAsNull() {
        JsonObject o = JsonParser.parseString(threeRows().toJson()).getAsJsonObject();
        assertEquals("m1", o.get("model").getAsString());
        assertEquals(3, o.getAsJsonArray("rows").size());
        JsonObject b = o.getAsJsonArray("rows").get(1).getAsJsonObject();
        assertTrue(b.get("texture").isJsonNull());
        assertTrue(b.get("landmarkNme").isJsonNull());
        assertEquals(0.3, b.get("flatGain").getAsDouble(), 1e-12);
        assertEquals(0.2, o.getAsJsonObject("median").get("mad").getAsDouble(), 1e-12);
        assertEquals(3, o.getAsJsonObject("median").getAsJsonArray("cast").size());
        assertEquals(1, o.get("facesKept").getAsInt());
        assertEquals(0.5, o.get("faceKeptShare").getAsDouble(), 0);
    }
}
