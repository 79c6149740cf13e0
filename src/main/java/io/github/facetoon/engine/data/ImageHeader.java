package io.github.facetoon.engine.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a file's header declares, read without decoding any pixels: the real format (from the magic bytes), the
 * declared size and the EXIF orientation. Reading it first is what lets the reader refuse a decompression bomb
 * (a tiny file declaring billions of pixels) before a decoder allocates anything.
 *
 * @param format the format
 * @param width declared width in pixels
 * @param height declared height in pixels
 * @param orientation the EXIF orientation 1..8 found in the header, or 0 when there is none
 */
public record ImageHeader(ImageFormat format, long width, long height, int orientation) {

    /**
     * Reads the header of an encoded image. For PNG and JPEG it also walks the whole chunk/marker structure, which
     * is how truncated files are told apart (decoders often fill a cut-off image with grey instead of failing).
     *
     * @param data the whole file
     * @param file the file, for the exception (may be null)
     * @param name the name used in messages
     * @return the header
     * @throws UnreadableImageException when the data is not an accepted image, or is truncated or damaged
     */
    public static ImageHeader read(byte[] data, Path file, String name) throws UnreadableImageException {
        return new Parser(data, file, name).parse();
    }

    /** The most scans a JPEG may have; libjpeg-turbo's tools suggest a similar cap against slow-decoding files. */
    static final int MAX_JPEG_SCANS = 500;

    /** The header parser; every read is bounds-checked, every loop advances. */
    private static final class Parser {
        private final byte[] b;
        private final Path file;
        private final String name;

        Parser(byte[] data, Path file, String name) {
            this.b = data;
            this.file = file;
            this.name = name;
        }

        ImageHeader parse() throws UnreadableImageException {
            if (b.length == 0) {
                throw fail("empty file (0 bytes)");
            }
            if (startsWith(0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
                return png();
            }
            if (startsWith(0, 0xFF, 0xD8, 0xFF)) {
                return jpeg();
            }
            if (startsWith(0, 'G', 'I', 'F', '8') && (startsWith(4, '7', 'a') || startsWith(4, '9', 'a'))) {
                return gif();
            }
            if (startsWith(0, 'R', 'I', 'F', 'F') && startsWith(8, 'W', 'E', 'B', 'P')) {
                return webp();
            }
            if (startsWith(0, 'I', 'I', 42, 0) || startsWith(0, 'M', 'M', 0, 42)
                    || startsWith(0, 'I', 'I', 43, 0) || startsWith(0, 'M', 'M', 0, 43)) {
                return tiff();
            }
            if (startsWith(0, 'B', 'M') && b.length >= 18) {
                return bmp();
            }
            throw fail(unknownFormat());
        }

        // ---- PNG: signature, IHDR first, then chunks up to IEND ----

        private ImageHeader png() throws UnreadableImageException {
            if (b.length < 33) {
                throw fail("truncated PNG data");
            }
            if (!startsWith(12, 'I', 'H', 'D', 'R')) {
                throw fail("damaged PNG data (no IHDR header)");
            }
            long width = u32be(16);
            long height = u32be(20);
            if (width == 0 || height == 0) {
                throw fail("damaged PNG data (declares a size of " + width + "×" + height + ")");
            }
            int orientation = 0;
            long pos = 8;
            while (true) {
                if (pos + 8 > b.length) {
                    throw fail("truncated PNG data");
                }
                long length = u32be((int) pos);
                boolean iend = startsWith((int) pos + 4, 'I', 'E', 'N', 'D');
                boolean exif = startsWith((int) pos + 4, 'e', 'X', 'I', 'f');
                long end = pos + 12 + length;
                if (length > Integer.MAX_VALUE || end > b.length) {
                    throw fail("truncated PNG data");
                }
                if (exif) {
                    orientation = Exif.orientation(b, (int) pos + 8, (int) length);
                }
                if (iend) {
                    return new ImageHeader(ImageFormat.PNG, width, height, orientation);
                }
                pos = end;
            }
        }

        // ---- JPEG: marker segments; after each SOS, entropy-coded data up to the next real marker; EOI ends ----

        private ImageHeader jpeg() throws UnreadableImageException {
            int scans = 0;
            long width = -1;
            long height = -1;
            int orientation = 0;
            int pos = 2;
            while (true) {
                // Skip anything that is not a marker (tolerated by decoders), then fill bytes.
                while (pos < b.length && u8(pos) != 0xFF) {
                    pos++;
                }
                while (pos < b.length && u8(pos) == 0xFF) {
                    pos++;
                }
                if (pos >= b.length) {
                    throw fail("truncated JPEG data");
                }
                int marker = u8(pos++);
                if (marker == 0xD9) {
                    if (width < 0) {
                        throw fail("damaged JPEG data (no image frame)");
                    }
                    return new ImageHeader(ImageFormat.JPEG, width, height, orientation);
                }
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x00) {
                    continue; // markers without a length
                }
                if (pos + 2 > b.length) {
                    throw fail("truncated JPEG data");
                }
                int length = u16be(pos);
                if (length < 2) {
                    throw fail("damaged JPEG data (bad segment length)");
                }
                int data = pos + 2;
                int end = pos + length;
                if (end > b.length) {
                    throw fail("truncated JPEG data");
                }
                boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (sof && width < 0) {
                    if (length < 8) {
                        throw fail("damaged JPEG data (short frame header)");
                    }
                    height = u16be(data + 1);
                    width = u16be(data + 3);
                    if (width == 0) {
                        throw fail("damaged JPEG data (declares a width of 0)");
                    }
                    if (height == 0) {
                        throw fail("JPEG files whose height is given after the image data (DNL) are not supported");
                    }
                } else if (marker == 0xE1 && length >= 8 && startsWith(data, 'E', 'x', 'i', 'f', 0, 0)) {
                    orientation = Exif.orientation(b, data + 6, end - data - 6);
                }
                pos = end;
                if (marker == 0xDA) {
                    if (width < 0) {
                        throw fail("damaged JPEG data (image data before the frame header)");
                    }
                    // Thousands of tiny progressive scans make a small file take minutes to decode (libjpeg's
                    // known denial of service); real photos have about ten.
                    if (++scans > MAX_JPEG_SCANS) {
                        throw fail("damaged JPEG data (more than " + MAX_JPEG_SCANS + " scans)");
                    }
                    pos = skipEntropyData(pos);
                }
            }
        }

        /** Returns the index of the 0xFF that starts the next marker after entropy-coded data (or the end). */
        private int skipEntropyData(int pos) {
            while (pos + 1 < b.length) {
                if (u8(pos) == 0xFF) {
                    int next = u8(pos + 1);
                    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                        pos += 2; // stuffed byte or restart marker: still inside the scan
                        continue;
                    }
                    if (next == 0xFF) {
                        pos++;
                        continue;
                    }
                    return pos;
                }
                pos++;
            }
            return b.length;
        }

        // ---- GIF: logical screen size ----

        private ImageHeader gif() throws UnreadableImageException {
            if (b.length < 13) {
                throw fail("truncated GIF data");
            }
            long width = u16le(6);
            long height = u16le(8);
            if (width == 0 || height == 0) {
                throw fail("damaged GIF data (declares a size of " + width + "×" + height + ")");
            }
            return new ImageHeader(ImageFormat.GIF, width, height, 0);
        }

        // ---- BMP: BITMAPCOREHEADER (16-bit sizes) or a later header (signed 32-bit sizes) ----

        private ImageHeader bmp() throws UnreadableImageException {
            long dib = u32le(14);
            long width;
            long height;
            if (dib == 12) {
                if (b.length < 26) {
                    throw fail("truncated BMP data");
                }
                width = u16le(18);
                height = u16le(20);
            } else if (dib >= 16 && dib <= 256) {
                if (b.length < 26) {
                    throw fail("truncated BMP data");
                }
                width = (int) u32le(18);
                height = Math.abs((long) (int) u32le(22)); // negative height means top-down rows
            } else {
                throw fail(unknownFormat());
            }
            if (width <= 0 || height <= 0) {
                throw fail("damaged BMP data (declares a size of " + width + "×" + height + ")");
            }
            return new ImageHeader(ImageFormat.BMP, width, height, 0);
        }

        // ---- WebP: RIFF chunks; the first one says lossy (VP8), lossless (VP8L) or extended (VP8X) ----

        private ImageHeader webp() throws UnreadableImageException {
            if (b.length < 30) {
                throw fail("truncated WebP data");
            }
            long width;
            long height;
            int first = 12;
            int data = first + 8;
            long firstSize = u32le(first + 4);
            if (startsWith(first, 'V', 'P', '8', ' ')) {
                if (!startsWith(data + 3, 0x9D, 0x01, 0x2A)) {
                    throw fail("damaged WebP data (bad VP8 frame header)");
                }
                width = u16le(data + 6) & 0x3FFF;
                height = u16le(data + 8) & 0x3FFF;
            } else if (startsWith(first, 'V', 'P', '8', 'L')) {
                if (u8(data) != 0x2F) {
                    throw fail("damaged WebP data (bad VP8L signature)");
                }
                long bits = u32le(data + 1);
                width = (bits & 0x3FFF) + 1;
                height = ((bits >>> 14) & 0x3FFF) + 1;
            } else if (startsWith(first, 'V', 'P', '8', 'X')) {
                width = u24le(data + 4) + 1;
                height = u24le(data + 7) + 1;
            } else {
                throw fail("damaged WebP data (unknown first chunk)");
            }
            if (width == 0 || height == 0) {
                throw fail("damaged WebP data (declares a size of " + width + "×" + height + ")");
            }
            if (data + firstSize > b.length) {
                throw fail("truncated WebP data");
            }
            int orientation = 0;
            long pos = first;
            while (pos + 8 <= b.length) {
                long size = u32le((int) pos + 4);
                if (startsWith((int) pos, 'E', 'X', 'I', 'F') && pos + 8 + size <= b.length) {
                    int start = (int) pos + 8;
                    int len = (int) size;
                    if (len >= 6 && startsWith(start, 'E', 'x', 'i', 'f', 0, 0)) {
                        start += 6;
                        len -= 6;
                    }
                    orientation = Exif.orientation(b, start, len);
                }
                pos += 8 + size + (size & 1);
            }
            return new ImageHeader(ImageFormat.WEBP, width, height, orientation);
        }

        // ---- TIFF / BigTIFF: width and length tags of the first IFD ----

        private ImageHeader tiff() throws UnreadableImageException {
            Exif.Tiff t = Exif.Tiff.open(b, 0, b.length);
            if (t == null) {
                throw fail("truncated TIFF data");
            }
            long width = t.tagValue(256);
            long height = t.tagValue(257);
            if (width == Exif.Tiff.TRUNCATED || height == Exif.Tiff.TRUNCATED) {
                throw fail("truncated TIFF data");
            }
            if (width <= 0 || height <= 0) {
                throw fail("damaged TIFF data (no image size in the first directory)");
            }
            // The TIFF decoder applies the orientation tag itself; it is reported but not applied again.
            long orientation = t.tagValue(274);
            return new ImageHeader(ImageFormat.TIFF, width, height,
                    orientation >= 1 && orientation <= 8 ? (int) orientation : 0);
        }

        // ---- Things that are not accepted images, named so the user knows what to do ----

        private String unknownFormat() {
            String head = new String(b, 0, Math.min(b.length, 1024), StandardCharsets.ISO_8859_1);
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("<svg")) {
                return "vector images are not supported; export it as PNG";
            }
            if (head.startsWith("%PDF")) {
                return "PDF documents are not supported; export the page as PNG";
            }
            if (startsWith(4, 'f', 't', 'y', 'p')) {
                String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
                if (brand.startsWith("hei") || brand.startsWith("hev") || brand.startsWith("mif") || brand.startsWith("avi")
                        || brand.startsWith("msf")) {
                    return "HEIC/AVIF images are not supported; convert it to JPEG or PNG";
                }
                return "this looks like a video or HEIF container, not a supported image";
            }
            if (startsWith(0, '8', 'B', 'P', 'S')) {
                return "Photoshop files are not supported; export it as PNG";
            }
            if (looksLikeText()) {
                return "not an image (the file contains text)";
            }
            return "unknown or unsupported image format (supported: JPEG, PNG, WebP, BMP, TIFF, GIF)";
        }

        private boolean looksLikeText() {
            int n = Math.min(b.length, 512);
            for (int i = 0; i < n; i++) {
                int c = u8(i);
                if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B) || c == 0x7F) {
                    return false;
                }
            }
            return true;
        }

        // ---- bounds-checked reads ----

        private boolean startsWith(int at, int... bytes) {
            if (at < 0 || at + bytes.length > b.length) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (u8(at + i) != (bytes[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        private int u8(int i) {
            return b[i] & 0xFF;
        }

        private int u16be(int i) {
            return i + 2 <= b.length ? (u8(i) << 8) | u8(i + 1) : 0;
        }

        private int u16le(int i) {
            return i + 2 <= b.length ? u8(i) | (u8(i + 1) << 8) : 0;
        }

        private long u24le(int i) {
            return i + 3 <= b.length ? u8(i) | (u8(i + 1) << 8) | ((long) u8(i + 2) << 16) : 0;
        }

        private long u32be(int i) {
            return i + 4 <= b.length ? ((long) u8(i) << 24) | (u8(i + 1) << 16) | (u8(i + 2) << 8) | u8(i + 3) : 0;
        }

        private long u32le(int i) {
            return i + 4 <= b.length ? u8(i) | (u8(i + 1) << 8) | (u8(i + 2) << 16) | ((long) u8(i + 3) << 24) : 0;
        }

        private UnreadableImageException fail(String reason) {
            return new UnreadableImageException(file, name, reason, null);
        }
    }
}
