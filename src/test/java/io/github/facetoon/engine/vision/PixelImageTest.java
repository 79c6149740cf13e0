package io.github.facetoon.engine.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PixelImageTest {

    private static PixelImage filled(int w, int h, int argb) {
        int[] p = new int[w * h];
        java.util.Arrays.fill(p, argb);
        return new PixelImage(w, h, p);
    }

    @Test
    void rowsStackTopToBottomAndColumnsSitSideBySideOnTheBackground() {
        PixelImage a = filled(2, 1, 0xff0000ff);
        PixelImage b = filled(3, 2, 0xff00ff00);
        PixelImage stacked = PixelImage.stack(List.of(a, b), 0xffffffff);
        assertEquals(3, stacked.width());
        assertEquals(3, stacked.height());
        assertEquals(0xff0000ff, stacked.get(1, 0));
        assertEquals(0xffffffff, stacked.get(2, 0), "right of the narrower row");
        assertEquals(0xff00ff00, stacked.get(2, 2));
        PixelImage beside = PixelImage.beside(List.of(a, b), 0xffffffff);
        assertEquals(5, beside.width());
        assertEquals(2, beside.height());
        assertEquals(0xff0000ff, beside.get(1, 0));
        assertEquals(0xffffffff, beside.get(0, 1), "below the shorter image");
        assertEquals(0xff00ff00, beside.get(2, 1));
        assertEquals(0xff00ff00, beside.get(4, 0));
        assertThrows(IllegalArgumentException.class, () -> PixelImage.beside(List.of(), 0));
    }
}
