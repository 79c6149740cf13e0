package io.github.facetoon.engine.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Builds the hostile-input corpus in memory: every file is generated here, small, so the tests carry no fixtures.
 * OpenCV must be loaded before use.
 */
final class HostileCorpus {

    static final Scalar RED = new Scalar(0, 0, 255);
    static final Scalar BLUE = new Scalar(255, 0, 0);

    private HostileCorpus() {}

    /** A w×h BGR image: left half red, right half blue (shows rotations and flips). */
    static Mat halves(int w, int h) {
        Mat m = new Mat(h, w, CvType.CV_8UC3, BLUE);
        m.submat(new Rect(0, 0, w / 2, h)).setTo(RED);
        return m;
    }

    /** A w×h BGR image of smooth noise-free gradients, distinct per {@code seed}. */
    static Mat pattern(int w, int h, int seed) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                px[i] = (byte) (x * 255 / Math.max(1, w - 1));
                px[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                px[i + 2] = (byte) (seed * 37);
            }
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    static byte[] encode(String ext, Mat m, int... params) {
        MatOfByte out = new MatOfByte();
        MatOfInt p = new MatOfInt(params);
        try {
            if (!Imgcodecs.imencode(ext, m, out, p)) {
                throw new IllegalStateException("OpenCV could not encode " + ext);
            }
            return out.toArray();
        } finally {
            out.release();
            p.release();
        }
    }

    static byte[] jpeg(Mat m) {
        return encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
    }

    static byte[] png(Mat m) {
        return encode(".png", m);
    }

    /** Inserts an APP1 Exif segment carrying only an orientation tag right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        byte[] tiff = exifTiff(orientation);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A big-endian TIFF header with one IFD holding the orientation (tag 0x0112, SHORT). */
    static byte[] exifTiff(int orientation) {
        return new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0};
    }

    /** A simple WebP of {@code bgr} rewrapped, by hand, as an extended (VP8X) file with an EXIF orientation chunk. */
    static byte[] webpWithExifOrientation(Mat bgr, int orientation) throws IOException {
        byte[] simple = encode(".webp", bgr, Imgcodecs.IMWRITE_WEBP_QUALITY, 90);
        int w = bgr.cols() - 1;
        int h = bgr.rows() - 1;
        byte[] tiff = exifTiff(orientation);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        body.write("VP8X".getBytes(StandardCharsets.ISO_8859_1));
        body.write(new byte[] {10, 0, 0, 0, 0x08, 0, 0, 0, // size 10; flags: EXIF present
            (byte) w, (byte) (w >> 8), (byte) (w >> 16), (byte) h, (byte) (h >> 8), (byte) (h >> 16)});
        body.write(simple, 12, simple.length - 12); // the VP8 chunk as the encoder wrote it
        body.write("EXIF".getBytes(StandardCharsets.ISO_8859_1));
        body.write(new byte[] {(byte) tiff.length, 0, 0, 0});
        body.write(tiff);
        if (tiff.length % 2 == 1) {
            body.write(0);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[] {(byte) b.length, (byte) (b.length >> 8), (byte) (b.length >> 16), (byte) (b.length >> 24)});
        out.write(b);
        return out.toByteArray();
    }

    /** Inserts a PNG chunk (with a correct CRC) right after IHDR. */
    static byte[] withPngChunk(byte[] png, String type, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.write(pngChunk(type, data));
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        d.write(typeBytes);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        d.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    /** A real small PNG whose IHDR is rewritten to declare width×height (CRC fixed): a decompression bomb. */
    static byte[] pngBomb(int width, int height) throws IOException {
        byte[] png = png(halves(8, 8));
        byte[] ihdr = Arrays.copyOfRange(png, 16, 29);
        ihdr[0] = (byte) (width >>> 24);
        ihdr[1] = (byte) (width >>> 16);
        ihdr[2] = (byte) (width >>> 8);
        ihdr[3] = (byte) width;
        ihdr[4] = (byte) (height >>> 24);
        ihdr[5] = (byte) (height >>> 16);
        ihdr[6] = (byte) (height >>> 8);
        ihdr[7] = (byte) height;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        out.write(pngChunk("IHDR", ihdr));
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** A real small JPEG whose frame header is rewritten to declare width×height. */
    static byte[] jpegBomb(int width, int height) {
        byte[] jpg = jpeg(halves(16, 16));
        for (int i = 2; i + 9 < jpg.length; i++) {
            if ((jpg[i] & 0xFF) == 0xFF && (jpg[i + 1] & 0xFF) == 0xC0) {
                jpg[i + 5] = (byte) (height >> 8);
                jpg[i + 6] = (byte) height;
                jpg[i + 7] = (byte) (width >> 8);
                jpg[i + 8] = (byte) width;
                return jpg;
            }
        }
        throw new IllegalStateException("no SOF0 in the JPEG");
    }

    /** A 4-channel JPEG written by ImageIO from a raster: libjpeg reads it as (Adobe-inverted) CMYK. */
    static byte[] cmykJpegRed(int w, int h) throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] inverted = {255, 0, 0, 255}; // C=0, M=100%, Y=100%, K=0 stored inverted, as Photoshop does
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, inverted);
            }
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(r, null, null), null);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A progressive JPEG written by ImageIO (its frame marker is SOF2). */
    static byte[] progressiveJpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** An animated GIF written by ImageIO: a red frame, then a blue one. */
    static byte[] animatedGif(int w, int h) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (Color c : new Color[] {Color.RED, Color.BLUE}) {
                BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(c);
                g.fillRect(0, 0, w, h);
                g.dispose();
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** An uncompressed 3×2 RGB TIFF, written by hand, with an orientation tag; pixel i (row-major) has red 10·i. */
    static byte[] tiffWithOrientation(int orientation) throws IOException {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(t);
        int entries = 9;
        int bpsOffset = 8 + 2 + entries * 12 + 4;
        int pixelOffset = bpsOffset + 6;
        d.writeBytes("MM");
        d.writeShort(42);
        d.writeInt(8);
        d.writeShort(entries);
        int[][] tags = {{256, 3, 1, 3}, {257, 3, 1, 2}, {258, 3, 3, bpsOffset}, {259, 3, 1, 1}, {262, 3, 1, 2},
            {273, 4, 1, pixelOffset}, {274, 3, 1, orientation}, {277, 3, 1, 3}, {279, 4, 1, 18}};
        for (int[] tag : tags) {
            d.writeShort(tag[0]);
            d.writeShort(tag[1]);
            d.writeInt(tag[2]);
            if (tag[1] == 3 && tag[2] == 1) {
                d.writeShort(tag[3]);
                d.writeShort(0);
            } else {
                d.writeInt(tag[3]);
            }
        }
        d.writeInt(0);
        d.writeShort(8);
        d.writeShort(8);
        d.writeShort(8);
        for (int i = 1; i <= 6; i++) {
            d.write(10 * i);
            d.write(0);
            d.write(0);
        }
        return t.toByteArray();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] svg() {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">"
                + "<circle cx=\"50\" cy=\"50\" r=\"40\" fill=\"red\"/></svg>\n").getBytes(StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }
}
