package io.github.facetoon.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Damaged variants of valid files (cut off, bytes flipped, header sizes inflated) either decode to a BGR image or
 * fail with an {@link UnreadableImageException}; nothing else escapes, and nothing crashes the JVM.
 */
class ImageReaderFuzzTest {

    private final ImageReader reader = new ImageReader();

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    @Test
    void damagedFilesOfEveryFormatNeverEscapeAsOtherErrors() throws Exception {
        Mat img = HostileCorpus.pattern(48, 32, 3);
        Map<String, byte[]> bases = new LinkedHashMap<>();
        bases.put("png", HostileCorpus.png(img));
        bases.put("jpg", HostileCorpus.jpeg(img));
        bases.put("webp", HostileCorpus.encode(".webp", img, Imgcodecs.IMWRITE_WEBP_QUALITY, 80));
        bases.put("gif", HostileCorpus.animatedGif(48, 32));
        bases.put("bmp", HostileCorpus.encode(".bmp", img));
        bases.put("tif", HostileCorpus.encode(".tif", img));
        Random random = new Random(20261123L);
        int decoded = 0;
        int refused = 0;
        for (Map.Entry<String, byte[]> base : bases.entrySet()) {
            byte[] good = base.getValue();
            for (int k = 0; k < 60; k++) {
                byte[] bad;
                if (k % 3 == 0) {
                    bad = Arrays.copyOf(good, random.nextInt(good.length));
                } else {
                    bad = good.clone();
                    int flips = 1 + random.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                    }
                }
                String name = "fuzz-" + k + "." + base.getKey();
                try {
                    Mat m = reader.decode(bad, name);
                    assertEquals(CvType.CV_8UC3, m.type());
                    m.release();
                    decoded++;
                } catch (UnreadableImageException e) {
                    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    refused++;
                } catch (RuntimeException e) {
                    fail(name + " escaped as " + e, e);
                }
            }
        }
        assertTrue(refused > 0 && decoded + refused == 360, decoded + " decoded, " + refused + " refused");
    }

    @Test
    void bitmapDeclaringManyPixelsInATinyFileIsRefusedQuickly() {
        byte[] bmp = HostileCorpus.encode(".bmp", HostileCorpus.pattern(4, 4, 1));
        // BITMAPINFOHEADER width and height at offsets 18 and 22: 5000×5000 is under the pixel limit.
        byte[] big = bmp.clone();
        writeLe(big, 18, 5000);
        writeLe(big, 22, 5000);
        long start = System.nanoTime();
        try {
            reader.decode(big, "liar.bmp").release();
            fail("a 5000×5000 bitmap cannot come from " + big.length + " bytes");
        } catch (UnreadableImageException e) {
            assertTrue(e.getMessage().startsWith("liar.bmp: "), e.getMessage());
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused within seconds");
    }

    private static void writeLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }
}
