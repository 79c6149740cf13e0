package io.github.facetoon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The NaN-skipping median behind every per-model figure. */
class MediansTest {

    @Test
    void oddCountGivesTheMiddleValue() {
        assertEquals(3, Medians.of(5, 1, 3), 0);
    }

    @Test
    void evenCountGivesTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, Medians.of(4, 1, 2, 3), 0);
    }

    @Test
    void nanValuesAreSkipped() {
        assertEquals(2, Medians.of(Double.NaN, 3, 1, Double.NaN, 2), 0);
    }

    @Test
    void noValuesGiveNaN() {
        assertTrue(Double.isNaN(Medians.of()));
    }

    @Test
    void onlyNaNValuesGiveNaN() {
        assertTrue(Double.isNaN(Medians.of(Double.NaN, Double.NaN)));
    }

    @Test
    void doesNotReorderTheCallersArray() {
        double[] v = {3, 1, 2};
        Medians.of(v);
        assertEquals(3, v[0], 0);
    }

    @Test
    void medianOfAFigureOverRows() {
        assertEquals(20, Medians.of(List.of("a", "bb", "ccc"), s -> s.length() * 10.0), 0);
    }
}
