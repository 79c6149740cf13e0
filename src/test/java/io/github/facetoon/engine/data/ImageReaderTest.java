package io.github.facetoon.engine.data;

import static io.github.facetoon.engine.data.HostileCorpus.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** Every entry of the hostile corpus is either read correctly or refused with one line naming the file. */
class ImageReaderTest {

    @TempDir
    Path dir;

    private final ImageReader reader = new ImageReader();

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    // ---- helpers ----

    private Mat read(String name, byte[] bytes) throws IOException {
        Mat m = reader.read(write(dir, name, bytes));
        assertEquals(CvType.CV_8UC3, m.type(), "always 8-bit BGR");
        return m;
    }

    private void assertRejected(String name, byte[] bytes, String reasonPart) throws IOException {
        Path file = write(dir, name, bytes);
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> reader.read(file));
        assertOneLine(e, name, reasonPart);
        assertEquals(file, e.file());
    }

    static void assertOneLine(UnreadableImageException e, String name, String reasonPart) {
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith(name + ": "), "names the file first: " + message);
        assertTrue(message.contains(reasonPart), "expected '" + reasonPart + "' in: " + message);
        assertTrue(message.length() < 200, "short: " + message);
    }

    private static double[] px(Mat m, int row, int col) {
        return m.get(row, col);
    }

    private static void assertColour(double[] expectedBgr, double[] actual, double tolerance) {
        for (int i = 0; i < 3; i++) {
            assertEquals(expectedBgr[i], actual[i], tolerance, "channel " + i + " of " + Arrays.toString(actual));
        }
    }

    private static final double[] RED = {0, 0, 255};
    private static final double[] BLUE = {255, 0, 0};
    private static final double[] WHITE = {255, 255, 255};

    // ---- refused ----

    @Test
    void zeroByteFileIsRefused() throws IOException {
        assertRejected("empty.jpg", new byte[0], "empty file (0 bytes)");
    }

    @Test
    void truncatedJpegIsRefused() throws IOException {
        byte[] jpg = HostileCorpus.jpeg(HostileCorpus.pattern(64, 64, 1));
        assertRejected("photo.jpg", Arrays.copyOf(jpg, jpg.length * 2 / 3), "truncated JPEG data");
    }

    @Test
    void jpegCutJustBeforeItsEndMarkerIsRefused() throws IOException {
        byte[] jpg = HostileCorpus.jpeg(HostileCorpus.pattern(64, 64, 1));
        assertRejected("cut.jpg", Arrays.copyOf(jpg, jpg.length - 2), "truncated JPEG data");
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        byte[] png = HostileCorpus.png(HostileCorpus.pattern(64, 64, 1));
        assertRejected("photo.png", Arrays.copyOf(png, png.length / 2), "truncated PNG data");
    }

    @Test
    void randomBytesNamedPngAreRefused() throws IOException {
        assertRejected("noise.png", HostileCorpus.randomBytes(4096, 7), "unknown or unsupported image format");
    }

    @Test
    void textNamedJpgIsRefused() throws IOException {
        assertRejected("notes.jpg", "Dear diary,\nthis is not a photo.\n".getBytes(StandardCharsets.UTF_8),
                "not an image (the file contains text)");
    }

    @Test
    void svgIsRefusedWithAHint() throws IOException {
        assertRejected("drawing.svg", HostileCorpus.svg(), "vector images are not supported; export it as PNG");
    }

    @Test
    void pdfAndHeicAreRefusedWithAHint() throws IOException {
        assertRejected("scan.jpg", "%PDF-1.7\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1),
                "PDF documents are not supported; export the page as PNG");
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
        assertRejected("IMG_0001.HEIC", heic, "HEIC/AVIF images are not supported; convert it to JPEG or PNG");
    }

    @Test
    void jpegWithThousandsOfScansIsRefusedBeforeDecoding() throws IOException {
        byte[] jpg = HostileCorpus.jpeg(HostileCorpus.halves(16, 16));
        int sos = 2;
        while (!((jpg[sos] & 0xFF) == 0xFF && (jpg[sos + 1] & 0xFF) == 0xDA)) {
            sos++;
        }
        int eoi = jpg.length - 2;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpg, 0, sos);
        for (int i = 0; i <= ImageHeader.MAX_JPEG_SCANS; i++) {
            out.write(jpg, sos, eoi - sos); // the same scan again and again
        }
        out.write(jpg, eoi, 2);
        assertRejected("slow.jpg", out.toByteArray(), "damaged JPEG data (more than 500 scans)");
    }

    @Test
    void namedPipeIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is available");
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> reader.read(fifo));
        assertOneLine(e, "pipe.jpg", "is not a regular file");
    }

    @Test
    void pngDecompressionBombIsRefusedBeforeDecoding() throws IOException {
        byte[] bomb = HostileCorpus.pngBomb(100_000, 100_000);
        assertTrue(bomb.length < 2_000, "the bomb is a tiny file");
        assertRejected("big.png", bomb, "100000×100000 pixels is over the 100-megapixel limit");
    }

    @Test
    void jpegDecompressionBombIsRefusedBeforeDecoding() throws IOException {
        assertRejected("big.jpg", HostileCorpus.jpegBomb(60_000, 60_000), "60000×60000 pixels is over the 100-megapixel limit");
    }

    @Test
    void aJpegIsDecodedAtAFractionOfItsSizeWhenThatIsEnoughForTheCaller() throws IOException {
        Mat photo = io.github.facetoon.engine.bench.SyntheticPhotos.photo(800, new java.util.Random(1));
        Path f = dir.resolve("big.jpg");
        org.opencv.imgcodecs.Imgcodecs.imwrite(f.toString(), photo);
        Mat quarter = new ImageReader().read(f, 200);
        assertEquals(200, quarter.rows(), "decoded at 1/4");
        Mat half = new ImageReader().read(f, 201);
        assertEquals(400, half.rows(), "1/4 would be too small: decoded at 1/2");
        Mat full = new ImageReader().read(f, 0);
        assertEquals(800, full.rows());
    }

    @Test
    void aJpegOverThePixelLimitIsShrunkInsteadOfRefused() throws IOException {
        Mat photo = io.github.facetoon.engine.bench.SyntheticPhotos.photo(400, new java.util.Random(2));
        Path f = dir.resolve("large.jpg");
        org.opencv.imgcodecs.Imgcodecs.imwrite(f.toString(), photo);
        // A limit of 50,000 pixels: 400×400 (160,000) decodes at 1/2 (40,000), the first reduction that fits.
        Mat m = new ImageReader(ImageReader.DEFAULT_MAX_FILE_BYTES, 50_000).read(f);
        assertEquals(200, m.rows());
        ImageReader tight = new ImageReader(ImageReader.DEFAULT_MAX_FILE_BYTES, 5_000);
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> tight.read(f));
        assertTrue(e.getMessage().contains("400×400 pixels is over"), "more than 4× the limit is still refused: " + e.getMessage());
    }

    @Test
    void bombsInEveryOtherFormatAreRefusedBeforeDecoding() throws IOException {
        byte[] gif = HostileCorpus.animatedGif(8, 8);
        gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF; // logical screen 65535×65535
        assertRejected("big.gif", gif, "65535×65535 pixels is over");
        byte[] bmp = HostileCorpus.encode(".bmp", HostileCorpus.halves(8, 8));
        putLe(bmp, 18, 100_000);
        putLe(bmp, 22, -100_000); // top-down rows: the height is negative
        assertRejected("big.bmp", bmp, "100000×100000 pixels is over");
        byte[] vp8 = HostileCorpus.encode(".webp", HostileCorpus.halves(8, 8), org.opencv.imgcodecs.Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        assertEquals("VP8 ", new String(vp8, 12, 4, StandardCharsets.ISO_8859_1));
        vp8[26] = vp8[28] = (byte) 0xFF;
        vp8[27] = vp8[29] = (byte) 0x3F; // 16383×16383
        assertRejected("big.webp", vp8, "16383×16383 pixels is over");
        byte[] tiff = HostileCorpus.tiffWithOrientation(1);
        tiff[18] = tiff[30] = (byte) 0xFF;
        tiff[19] = tiff[31] = (byte) 0xFF; // width and height tags (SHORT) set to 65535
        assertRejected("big.tif", tiff, "65535×65535 pixels is over");
    }

    private static void putLe(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        ImageReader small = new ImageReader(ImageReader.DEFAULT_MAX_FILE_BYTES, 1_000);
        Path file = write(dir, "photo.png", HostileCorpus.png(HostileCorpus.pattern(40, 30, 1)));
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> small.read(file));
        assertOneLine(e, "photo.png", "40×30 pixels is over the limit of 1000 pixels");
    }

    @Test
    void fileSizeLimitIsCheckedBeforeReading() throws IOException {
        ImageReader tiny = new ImageReader(100, ImageReader.DEFAULT_MAX_PIXELS);
        Path file = write(dir, "photo.png", HostileCorpus.png(HostileCorpus.pattern(40, 30, 1)));
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> tiny.read(file));
        assertOneLine(e, "photo.png", "is over the 100 bytes limit");
    }

    @Test
    void missingFileIsRefused() {
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> reader.read(dir.resolve("gone.jpg")));
        assertOneLine(e, "gone.jpg", "file not found");
    }

    @Test
    void folderIsRefused() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("album.jpg"));
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> reader.read(folder));
        assertOneLine(e, "album.jpg", "is a folder, not an image");
    }

    @Test
    void damagedPixelDataInsideACompletePngIsRefused() throws IOException {
        byte[] png = HostileCorpus.png(HostileCorpus.pattern(32, 32, 1));
        for (int i = 45; i < png.length - 20; i++) {
            png[i] = (byte) 0x5A; // scribble over IDAT, keep the chunk structure
        }
        assertRejected("scribbled.png", png, "damaged or unsupported PNG data");
    }

    @Test
    void unreadableBytesInMemoryAreNamed() {
        UnreadableImageException e = assertThrows(UnreadableImageException.class,
                () -> reader.decode(new byte[] {1, 2, 3}, "clipboard"));
        assertOneLine(e, "clipboard", "unknown or unsupported image format");
    }

    // ---- read ----

    @Test
    void pngWithJpgExtensionJustWorks() throws IOException {
        Mat m = read("photo.jpg", HostileCorpus.png(HostileCorpus.halves(10, 6)));
        assertEquals(10, m.cols());
        assertEquals(6, m.rows());
        assertArrayEquals(RED, px(m, 0, 0));
    }

    @Test
    void nonAsciiNameWithSpacesIsRead() throws IOException {
        String name = "été photo ü 写真 (1).png";
        Mat m = read(name, HostileCorpus.png(HostileCorpus.halves(8, 4)));
        assertEquals(8, m.cols());
        UnreadableImageException e = assertThrows(UnreadableImageException.class,
                () -> reader.read(write(dir, "çà et là.jpg", new byte[0])));
        assertOneLine(e, "çà et là.jpg", "empty file");
    }

    @Test
    void jpegExifOrientation6IsRotatedClockwise() throws IOException {
        byte[] jpg = HostileCorpus.withExifOrientation(HostileCorpus.jpeg(HostileCorpus.halves(40, 20)), 6);
        Mat m = read("rotated.jpg", jpg);
        assertEquals(20, m.cols());
        assertEquals(40, m.rows());
        // The left (red) half becomes the top after a clockwise quarter turn.
        assertColour(RED, px(m, 5, 10), 40);
        assertColour(BLUE, px(m, 35, 10), 40);
    }

    @Test
    void exifOrientationIsFoundInTheJpegHeader() throws IOException {
        byte[] jpg = HostileCorpus.withExifOrientation(HostileCorpus.jpeg(HostileCorpus.halves(40, 20)), 6);
        Path file = write(dir, "rotated.jpg", jpg);
        ImageHeader h = ImageHeader.read(java.nio.file.Files.readAllBytes(file), file, "rotated.jpg");
        assertEquals(new ImageHeader(ImageFormat.JPEG, 40, 20, 6), h);
    }

    @Test
    void pngExifOrientation8IsRotatedCounterClockwise() throws IOException {
        byte[] png = HostileCorpus.withPngChunk(HostileCorpus.png(HostileCorpus.halves(40, 20)), "eXIf", HostileCorpus.exifTiff(8));
        Mat m = read("rotated.png", png);
        assertEquals(20, m.cols());
        assertEquals(40, m.rows());
        // Counter-clockwise: the left (red) half ends at the bottom.
        assertColour(BLUE, px(m, 5, 10), 0);
        assertColour(RED, px(m, 35, 10), 0);
    }

    @Test
    void webpExifOrientation6IsRotatedClockwise() throws IOException {
        byte[] webp = HostileCorpus.webpWithExifOrientation(HostileCorpus.halves(40, 20), 6);
        assertEquals(6, ImageHeader.read(webp, null, "w").orientation());
        Mat m = read("rotated.webp", webp);
        assertEquals(20, m.cols());
        assertEquals(40, m.rows());
        assertColour(RED, px(m, 5, 10), 40);
        assertColour(BLUE, px(m, 35, 10), 40);
    }

    @Test
    void tiffOrientationIsAppliedOnce() throws IOException {
        Mat m = read("rotated.tif", HostileCorpus.tiffWithOrientation(6));
        // Stored rows [1 2 3] [4 5 6]; turned clockwise: [4 1] [5 2] [6 3].
        assertEquals(2, m.cols());
        assertEquals(3, m.rows());
        int[][] expected = {{4, 1}, {5, 2}, {6, 3}};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(10 * expected[r][c], px(m, r, c)[2], 0.0, "red at " + r + "," + c);
            }
        }
    }

    @Test
    void sixteenBitPngIsScaledToEightBits() throws IOException {
        Mat m16 = new Mat(4, 4, CvType.CV_16UC3, new Scalar(257 * 10, 257 * 100, 257 * 200));
        Mat m = read("deep.png", HostileCorpus.png(m16));
        assertColour(new double[] {10, 100, 200}, px(m, 2, 2), 0);
    }

    @Test
    void sixteenBitGreyPngBecomesThreeEqualChannels() throws IOException {
        Mat m16 = new Mat(4, 4, CvType.CV_16UC1, new Scalar(257 * 77));
        Mat m = read("deepgrey.png", HostileCorpus.png(m16));
        assertColour(new double[] {77, 77, 77}, px(m, 1, 1), 0);
    }

    @Test
    void greyPngIsExpandedToThreeChannels() throws IOException {
        Mat m = read("grey.png", HostileCorpus.png(new Mat(5, 7, CvType.CV_8UC1, new Scalar(90))));
        assertEquals(7, m.cols());
        assertColour(new double[] {90, 90, 90}, px(m, 4, 6), 0);
    }

    @Test
    void greyJpegIsExpandedToThreeChannels() throws IOException {
        Mat m = read("grey.jpg", HostileCorpus.jpeg(new Mat(16, 16, CvType.CV_8UC1, new Scalar(120))));
        assertColour(new double[] {120, 120, 120}, px(m, 8, 8), 2);
    }

    @Test
    void rgbaPngIsCompositedOntoWhite() throws IOException {
        Mat rgba = new Mat(2, 3, CvType.CV_8UC4);
        rgba.put(0, 0, new byte[] {
            0, 0, (byte) 255, (byte) 255, /* opaque red */ 0, 0, (byte) 255, 0, /* transparent red */
            0, 0, 0, (byte) 128, /* half-transparent black */
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Mat m = read("alpha.png", HostileCorpus.png(rgba));
        assertColour(RED, px(m, 0, 0), 0);
        assertColour(WHITE, px(m, 0, 1), 0);
        assertColour(new double[] {127, 127, 127}, px(m, 0, 2), 1);
        assertColour(WHITE, px(m, 1, 1), 0);
    }

    @Test
    void cmykJpegIsConvertedToBgr() throws IOException {
        Mat m = read("print.jpg", HostileCorpus.cmykJpegRed(16, 8));
        assertEquals(16, m.cols());
        assertColour(RED, px(m, 4, 8), 30);
    }

    @Test
    void progressiveJpegIsRead() throws IOException {
        byte[] jpg = HostileCorpus.progressiveJpeg(32, 16);
        assertTrue(containsMarker(jpg, 0xC2), "ImageIO wrote a progressive (SOF2) frame");
        Mat m = read("progressive.jpg", jpg);
        assertEquals(32, m.cols());
        assertEquals(16, m.rows());
        assertColour(RED, px(m, 8, 4), 40);
        assertColour(BLUE, px(m, 8, 28), 40);
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws IOException {
        Mat m = read("anim.gif", HostileCorpus.animatedGif(20, 10));
        assertEquals(20, m.cols());
        assertColour(RED, px(m, 5, 5), 0);
    }

    @Test
    void lossyAndLosslessWebpAreRead() throws IOException {
        Mat lossy = read("lossy.webp", HostileCorpus.encode(".webp", HostileCorpus.halves(40, 20),
                org.opencv.imgcodecs.Imgcodecs.IMWRITE_WEBP_QUALITY, 90));
        assertEquals(40, lossy.cols());
        assertColour(RED, px(lossy, 10, 5), 40);
        byte[] lossless = HostileCorpus.encode(".webp", HostileCorpus.halves(40, 20), org.opencv.imgcodecs.Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
        assertEquals("VP8L", new String(lossless, 12, 4, StandardCharsets.ISO_8859_1));
        assertColour(BLUE, px(read("lossless.webp", lossless), 10, 35), 0);
    }

    @Test
    void webpWithAlphaIsCompositedOntoWhite() throws IOException {
        Mat bgra = new Mat(16, 16, CvType.CV_8UC4, new Scalar(0, 0, 255, 0));
        byte[] webp = HostileCorpus.encode(".webp", bgra, org.opencv.imgcodecs.Imgcodecs.IMWRITE_WEBP_QUALITY, 90);
        assertEquals("VP8X", new String(webp, 12, 4, StandardCharsets.ISO_8859_1), "extended format, for the alpha");
        ImageHeader header = ImageHeader.read(webp, null, "a.webp");
        assertEquals(16, header.width());
        assertColour(WHITE, px(read("alpha.webp", webp), 8, 8), 3);
    }

    @Test
    void tiffAndBmpAreRead() throws IOException {
        Mat tif = read("scan.tiff", HostileCorpus.encode(".tif", HostileCorpus.halves(12, 6)));
        assertColour(RED, px(tif, 3, 1), 0);
        Mat bmp = read("paint.bmp", HostileCorpus.encode(".bmp", HostileCorpus.halves(12, 6)));
        assertColour(BLUE, px(bmp, 3, 10), 0);
    }

    @Test
    void onePixelImageIsRead() throws IOException {
        Mat m = read("dot.png", HostileCorpus.png(new Mat(1, 1, CvType.CV_8UC3, new Scalar(1, 2, 3))));
        assertEquals(1, m.cols());
        assertEquals(1, m.rows());
        assertColour(new double[] {1, 2, 3}, px(m, 0, 0), 0);
    }

    @Test
    void longPanoramaIsRead() throws IOException {
        Mat m = read("panorama.png", HostileCorpus.png(HostileCorpus.halves(20_000, 10)));
        assertEquals(20_000, m.cols());
        assertEquals(10, m.rows());
        assertColour(BLUE, px(m, 5, 19_999), 0);
    }

    @Test
    void headersGiveFormatAndDeclaredSize() throws IOException {
        Mat img = HostileCorpus.halves(30, 20);
        assertEquals(new ImageHeader(ImageFormat.PNG, 30, 20, 0), ImageHeader.read(HostileCorpus.png(img), null, "a"));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 30, 20, 0), ImageHeader.read(HostileCorpus.jpeg(img), null, "a"));
        assertEquals(new ImageHeader(ImageFormat.BMP, 30, 20, 0), ImageHeader.read(HostileCorpus.encode(".bmp", img), null, "a"));
        assertEquals(new ImageHeader(ImageFormat.TIFF, 30, 20, 0).format(), ImageHeader.read(HostileCorpus.encode(".tif", img), null, "a").format());
        assertEquals(30, ImageHeader.read(HostileCorpus.encode(".tif", img), null, "a").width());
        assertEquals(new ImageHeader(ImageFormat.GIF, 30, 20, 0), ImageHeader.read(HostileCorpus.animatedGif(30, 20), null, "a"));
        assertEquals(new ImageHeader(ImageFormat.WEBP, 30, 20, 0), ImageHeader.read(HostileCorpus.encode(".webp", img), null, "a"));
    }

    private static boolean containsMarker(byte[] b, int marker) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }
}
