package io.github.facetoon.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.facetoon.engine.model.GeneratorBlock;
import org.junit.jupiter.api.Test;

class GeneratorFlopsTest {

    /** Multiply-adds of one convolution: output pixels × out channels × in channels × k². */
    private static long conv(long outPixels, long out, long in, long k) {
        return outPixels * out * in * k * k;
    }

    @Test
    void countMatchesAHandCalculationAt256() {
        long full = 256L * 256;
        long half = full / 4;
        long quarter = full / 16;
        long expected = conv(full, 32, 3, 7)            // inConv
                + conv(half, 32, 32, 3)                  // down1Stride
                + conv(half, 64, 32, 3)                  // down1
                + conv(quarter, 64, 64, 3)               // down2Stride
                + conv(quarter, 128, 64, 3)              // down2
                + 8 * conv(quarter, 128, 128, 3)         // 4 residual blocks of 2 convs
                + conv(quarter, 64, 128, 3)              // up1Reduce
                + conv(half, 64, 64, 3)                  // up1Merge
                + conv(half, 32, 64, 3)                  // up2Reduce
                + conv(full, 32, 32, 3)                  // up2Merge
                + conv(full, 3, 32, 7);                  // outConv
        GeneratorFlops.Count count = GeneratorFlops.count(new GeneratorBlock(), 256, 256);
        assertEquals(8_166_309_888L, expected, "124,608 multiply-adds per pixel at 256²");
        assertEquals(expected, count.convMacs());
        assertEquals(2 * expected, count.flops());
    }

    @Test
    void oddSizesFollowTheStrideTwoRounding() {
        // 30 px: stride-2 convolutions give 15 and then 8 (ceil), as the real forward pass does.
        long full = 30L * 30;
        long half = 15L * 15;
        long quarter = 8L * 8;
        long expected = conv(full, 32, 3, 7) + conv(half, 32, 32, 3) + conv(half, 64, 32, 3)
                + conv(quarter, 64, 64, 3) + conv(quarter, 128, 64, 3) + 8 * conv(quarter, 128, 128, 3)
                + conv(quarter, 64, 128, 3) + conv(half, 64, 64, 3) + conv(half, 32, 64, 3)
                + conv(full, 32, 32, 3) + conv(full, 3, 32, 7);
        assertEquals(expected, GeneratorFlops.count(new GeneratorBlock(), 30, 30).convMacs());
    }
}
