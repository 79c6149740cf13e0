package io.github.facetoon.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogScaleTest {

    private final LogScale scale = new LogScale(1e-2, 1e3);

    @Test
    void positionAndValueAreInverse() {
        for (double v : new double[] {0.01, 0.1, 1, 200, 1000}) {
            assertEquals(v, scale.value(scale.position(v)), v * 0.01);
        }
    }

    @Test
    void theLeftEndIsExactlyZero() {
        assertEquals(0, scale.value(0));
        assertEquals(0, scale.position(0));
    }

    @Test
    void valuesAreRoundedToThreeDigits() {
        assertEquals(0.0316, LogScale.round(0.031622776));
        assertEquals(12500, LogScale.round(12498.3));
    }

    @Test
    void numbersReadWell() {
        assertEquals("1e4", Numbers.compact(1e4));
        assertEquals("0.1", Numbers.compact(0.1));
        assertEquals("200", Numbers.compact(200));
        assertEquals("1:02:03", Numbers.duration(3723));
    }
}
