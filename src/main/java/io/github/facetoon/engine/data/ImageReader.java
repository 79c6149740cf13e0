package io.github.facetoon.engine.data;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Reads any image a user may drop on the studio into an 8-bit BGR {@link Mat} (CV_8UC3), or fails with an
 * {@link UnreadableImageException} whose message is one line naming the file and the reason.
 *
 * <p>The bytes are read in Java (so any file name works) up to a size limit. The real format is sniffed from
 * the magic bytes, and the size declared in the header is checked against a pixel limit before any decoder runs,
 * which defuses decompression bombs. Then OpenCV decodes, and the result is normalised: 16-bit and float samples
 * scaled to 8 bits, grey expanded to three channels, alpha composited onto white, and the EXIF orientation applied
 * (OpenCV applies it itself for JPEG and TIFF; this class does it for PNG and WebP).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageReader {

    /** Default largest file accepted: 256 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
    /** Default largest image accepted: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private final long maxFileBytes;
    private final long maxPixels;

    /** A reader with the default limits. */
    public ImageReader() {
        this(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS);
    }

    /**
     * A reader with its own limits.
     *
     * @param maxFileBytes the largest file read, in bytes
     * @param maxPixels the largest declared width·height decoded
     */
    public ImageReader(long maxFileBytes, long maxPixels) {
        if (maxFileBytes <= 0 || maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxFileBytes must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxFileBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
        }
        this.maxFileBytes = maxFileBytes;
        this.maxPixels = maxPixels;
    }

    /**
     * The file-size limit.
     *
     * @return bytes
     */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /**
     * The pixel limit.
     *
     * @return width·height
     */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Reads and decodes an image file.
     *
     * @param file the file
     * @return a new CV_8UC3 BGR Mat; the caller releases it
     * @throws UnreadableImageException when the file cannot be read or is not a usable image
     */
    public Mat read(Path file) throws UnreadableImageException {
        return decode(readBytes(file), file, displayName(file), 0);
    }

    /**
     * Reads an image that will be used at most at a given size. A JPEG is decoded directly at 1/2, 1/4 or 1/8 of its
     * size (the decoder's own scaling, so memory follows the smaller size) when that still leaves its short side at
     * least {@code minShortSide}, or when that is what brings a photo over the pixel limit under it: a very large
     * JPEG (up to {@value #SHRINK_OVER_LIMIT} times the limit) is shrunk instead of refused. Other formats are
     * decoded whole.
     *
     * @param file the file
     * @param minShortSide the short side the caller needs, or 0 for the full size
     * @return a new CV_8UC3 BGR Mat; the caller releases it
     * @throws UnreadableImageException when the file cannot be read or is not a usable image
     */
    public Mat read(Path file, int minShortSide) throws UnreadableImageException {
        return decode(readBytes(file), file, displayName(file), minShortSide);
    }

    /** A JPEG over the pixel limit is shrunk by the decoder only up to this many times the limit (else refused). */
    static final int SHRINK_OVER_LIMIT = 4;
    /** ... and only when its file has at least one byte per this many declared pixels (a bomb has far fewer). */
    static final int PIXELS_PER_BYTE = 200;

    /** The JPEG decoder's reduction (1, 2, 4 or 8) for a declared size; 1 for other formats. */
    int reduction(ImageHeader header, int minShortSide, long fileBytes) {
        if (header.format() != ImageFormat.JPEG) {
            return 1;
        }
        double pixels = (double) header.width() * header.height();
        if (pixels > maxPixels && (pixels > (double) SHRINK_OVER_LIMIT * maxPixels || pixels > (double) fileBytes * PIXELS_PER_BYTE)) {
            return 1; // refused by the pixel check: too large to be a photo worth shrinking, or a decompression bomb
        }
        long shortSide = Math.min(header.width(), header.height());
        int factor = 1;
        while (factor < 8 && minShortSide > 0 && shortSide / (factor * 2) >= minShortSide) {
            factor *= 2;
        }
        while (factor < 8 && (double) header.width() * header.height() / ((double) factor * factor) > maxPixels) {
            factor *= 2;
        }
        return factor;
    }

    /**
     * Decodes an image held in memory.
     *
     * @param bytes the encoded image
     * @param name the name used in messages (for example the original file name)
     * @return a new CV_8UC3 BGR Mat; the caller releases it
     * @throws UnreadableImageException when the bytes are not a usable image
     */
    public Mat decode(byte[] bytes, String name) throws UnreadableImageException {
        if (bytes.length > maxFileBytes) {
            throw new UnreadableImageException(null, name, sizeText(bytes.length) + " is over the "
                    + sizeText(maxFileBytes) + " limit", null);
        }
        return decode(bytes, null, name, 0);
    }

    private Mat decode(byte[] bytes, Path file, String name, int minShortSide) throws UnreadableImageException {
        ImageHeader header = ImageHeader.read(bytes, file, name);
        int reduction = reduction(header, minShortSide, bytes.length);
        checkPixels(header.width() / reduction, header.height() / reduction, file, name);
        OpenCvRuntime.ensureLoaded();
        // JPEG has no alpha: IMREAD_COLOR lets OpenCV apply EXIF orientation and convert grey/CMYK. Every other
        // format is read unchanged so that alpha and 16-bit samples survive until they are handled below.
        int flags = header.format() != ImageFormat.JPEG ? Imgcodecs.IMREAD_UNCHANGED
                : reduction == 8 ? Imgcodecs.IMREAD_REDUCED_COLOR_8
                : reduction == 4 ? Imgcodecs.IMREAD_REDUCED_COLOR_4
                : reduction == 2 ? Imgcodecs.IMREAD_REDUCED_COLOR_2 : Imgcodecs.IMREAD_COLOR;
        String formatName = header.format().displayName();
        Mat raw;
        MatOfByte buffer = new MatOfByte(bytes);
        try {
            raw = Imgcodecs.imdecode(buffer, flags);
        } catch (RuntimeException e) {
            throw new UnreadableImageException(file, name, "damaged or unsupported " + formatName + " data", e);
        } finally {
            buffer.release();
        }
        if (raw == null || raw.empty()) {
            if (raw != null) {
                raw.release();
            }
            throw new UnreadableImageException(file, name, "damaged or unsupported " + formatName + " data", null);
        }
        try {
            // A header can understate what the decoder produced (e.g. a GIF frame larger than its screen).
            checkPixels(raw.cols(), raw.rows(), file, name);
            Mat bgr = toBgr8(raw, file, name);
            if (header.format() != ImageFormat.JPEG && header.format() != ImageFormat.TIFF && header.orientation() > 1) {
                Mat oriented = orient(bgr, header.orientation());
                if (oriented != bgr) {
                    bgr.release();
                }
                return oriented;
            }
            return bgr;
        } finally {
            raw.release();
        }
    }

    private void checkPixels(long width, long height, Path file, String name) throws UnreadableImageException {
        if ((double) width * height > maxPixels || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            String limit = maxPixels >= 1_000_000 ? "the " + megapixels(maxPixels) + "-megapixel limit"
                    : "the limit of " + maxPixels + " pixels";
            throw new UnreadableImageException(file, name, width + "×" + height + " pixels is over " + limit, null);
        }
    }

    /** Converts any decoded Mat to a new CV_8UC3: depth to 8 bits, then channels to BGR on white. */
    static Mat toBgr8(Mat raw, Path file, String name) throws UnreadableImageException {
        Mat eight = new Mat();
        try {
            int depth = raw.depth();
            if (depth == CvType.CV_8U) {
                raw.copyTo(eight);
            } else if (depth == CvType.CV_16U) {
                raw.convertTo(eight, CvType.CV_8U, 1.0 / 257.0);
            } else if (depth == CvType.CV_16S) {
                raw.convertTo(eight, CvType.CV_8U, 1.0 / 257.0, 128.0);
            } else if (depth == CvType.CV_8S) {
                raw.convertTo(eight, CvType.CV_8U, 1.0, 128.0);
            } else if (depth == CvType.CV_32F || depth == CvType.CV_64F || depth == CvType.CV_16F) {
                raw.convertTo(eight, CvType.CV_8U, 255.0); // floating point images are taken as [0,1]
            } else {
                throw new UnreadableImageException(file, name, "unsupported pixel format (" + CvType.typeToString(raw.type()) + ")", null);
            }
            int channels = eight.channels();
            Mat bgr = new Mat();
            if (channels == 3) {
                return eight.clone();
            } else if (channels == 1) {
                Imgproc.cvtColor(eight, bgr, Imgproc.COLOR_GRAY2BGR);
            } else if (channels == 4) {
                compositeOnWhite(eight, bgr);
            } else if (channels == 2) {
                List<Mat> planes = new ArrayList<>();
                Core.split(eight, planes);
                Mat grey = new Mat();
                try {
                    Imgproc.cvtColor(planes.get(0), grey, Imgproc.COLOR_GRAY2BGR);
                    List<Mat> four = new ArrayList<>();
                    Core.split(grey, four);
                    four.add(planes.get(1));
                    Mat bgra = new Mat();
                    Core.merge(four, bgra);
                    compositeOnWhite(bgra, bgr);
                    bgra.release();
                    four.forEach(Mat::release);
                } finally {
                    grey.release();
                    planes.forEach(Mat::release);
                }
            } else {
                bgr.release();
                throw new UnreadableImageException(file, name, "unsupported pixel format (" + channels + " channels)", null);
            }
            return bgr;
        } finally {
            eight.release();
        }
    }

    /** out = colour·a/255 + (255 − a): colour over a white background, all in 8-bit arithmetic. */
    private static void compositeOnWhite(Mat bgra, Mat out) {
        List<Mat> planes = new ArrayList<>();
        Core.split(bgra, planes);
        Mat alpha = planes.get(3);
        Mat colour = new Mat();
        Mat alpha3 = new Mat();
        Mat white = new Mat();
        try {
            Core.merge(planes.subList(0, 3), colour);
            Imgproc.cvtColor(alpha, alpha3, Imgproc.COLOR_GRAY2BGR);
            Core.multiply(colour, alpha3, out, 1.0 / 255.0);
            Core.bitwise_not(alpha3, white);
            Core.add(out, white, out);
        } finally {
            colour.release();
            alpha3.release();
            white.release();
            planes.forEach(Mat::release);
        }
    }

    /**
     * Applies an EXIF orientation so the image shows upright.
     *
     * @param m the stored image
     * @param orientation 1..8
     * @return a new Mat, or {@code m} itself for orientation 1
     */
    static Mat orient(Mat m, int orientation) {
        Mat out = new Mat();
        switch (orientation) {
            case 2 -> Core.flip(m, out, 1);
            case 3 -> Core.rotate(m, out, Core.ROTATE_180);
            case 4 -> Core.flip(m, out, 0);
            case 5 -> Core.transpose(m, out);
            case 6 -> Core.rotate(m, out, Core.ROTATE_90_CLOCKWISE);
            case 7 -> {
                Core.transpose(m, out);
                Core.flip(out, out, -1);
            }
            case 8 -> Core.rotate(m, out, Core.ROTATE_90_COUNTERCLOCKWISE);
            default -> {
                out.release();
                return m;
            }
        }
        return out;
    }

    private byte[] readBytes(Path file) throws UnreadableImageException {
        String name = displayName(file);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UnreadableImageException(file, name, Files.isSymbolicLink(file) ? "broken symbolic link" : "file not found", e);
        } catch (AccessDeniedException e) {
            throw new UnreadableImageException(file, name, "permission denied", e);
        } catch (IOException e) {
            throw new UnreadableImageException(file, name, "cannot be read (" + oneLine(e) + ")", e);
        }
        if (attrs.isDirectory()) {
            throw new UnreadableImageException(file, name, "is a folder, not an image", null);
        }
        if (!attrs.isRegularFile()) {
            throw new UnreadableImageException(file, name, "is not a regular file", null); // a pipe would block forever
        }
        if (attrs.size() > maxFileBytes) {
            throw new UnreadableImageException(file, name, sizeText(attrs.size()) + " is over the "
                    + sizeText(maxFileBytes) + " limit", null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) maxFileBytes + 1); // the file may have grown since it was measured
            if (bytes.length > maxFileBytes) {
                throw new UnreadableImageException(file, name, "is over the " + sizeText(maxFileBytes) + " limit", null);
            }
            return bytes;
        } catch (UnreadableImageException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new UnreadableImageException(file, name, "permission denied", e);
        } catch (IOException e) {
            throw new UnreadableImageException(file, name, "cannot be read (" + oneLine(e) + ")", e);
        }
    }

    static String displayName(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).strip();
    }

    private static String megapixels(long pixels) {
        return pixels % 1_000_000 == 0 ? Long.toString(pixels / 1_000_000)
                : String.format(Locale.ROOT, "%.1f", pixels / 1e6);
    }

    static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
