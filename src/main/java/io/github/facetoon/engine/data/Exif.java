package io.github.facetoon.engine.data;

/** Reads the one EXIF/TIFF field the reader needs (orientation) and the TIFF image size; never throws. */
final class Exif {

    private Exif() {}

    /**
     * The orientation (tag 0x0112 of IFD0) of a TIFF-structured EXIF block.
     *
     * @param b the bytes
     * @param start where the TIFF header ("II*\0" or "MM\0*") starts
     * @param length how many bytes belong to the block
     * @return 1..8, or 0 when absent or unreadable
     */
    static int orientation(byte[] b, int start, int length) {
        Tiff t = Tiff.open(b, start, length);
        if (t == null) {
            return 0;
        }
        long v = t.tagValue(0x0112);
        return v >= 1 && v <= 8 ? (int) v : 0;
    }

    /** A bounds-checked view of a TIFF or BigTIFF header and its first image directory. */
    static final class Tiff {
        /** Returned by {@link #tagValue} when the directory runs past the end of the data. */
        static final long TRUNCATED = -2;

        private final byte[] b;
        private final int start;
        private final int end;
        private final boolean little;
        private final boolean big;
        private final long ifd;

        private Tiff(byte[] b, int start, int end, boolean little, boolean big, long ifd) {
            this.b = b;
            this.start = start;
            this.end = end;
            this.little = little;
            this.big = big;
            this.ifd = ifd;
        }

        /**
         * Opens a TIFF structure.
         *
         * @return the view, or null when the header itself is missing or cut off
         */
        static Tiff open(byte[] b, int start, int length) {
            int end = (int) Math.min(b.length, (long) start + Math.max(0, length));
            if (start < 0 || start + 8 > end) {
                return null;
            }
            boolean little;
            if (b[start] == 'I' && b[start + 1] == 'I') {
                little = true;
            } else if (b[start] == 'M' && b[start + 1] == 'M') {
                little = false;
            } else {
                return null;
            }
            Tiff probe = new Tiff(b, start, end, little, false, 0);
            long version = probe.uint(2, 2);
            if (version == 42) {
                return new Tiff(b, start, end, little, false, probe.uint(4, 4));
            }
            if (version == 43 && start + 16 <= end && probe.uint(4, 2) == 8) {
                return new Tiff(b, start, end, little, true, probe.uint(8, 8));
            }
            return null;
        }

        /**
         * The value of a SHORT or LONG tag in the first directory.
         *
         * @param tag the tag number
         * @return the value, -1 when absent, {@link #TRUNCATED} when the directory is cut off
         */
        long tagValue(int tag) {
            int countSize = big ? 8 : 2;
            int entrySize = big ? 20 : 12;
            if (ifd < 8 || ifd + countSize > end - start) {
                return TRUNCATED;
            }
            long count = uint(ifd, countSize);
            long first = ifd + countSize;
            if (count > 100_000 || first + count * entrySize > end - start) {
                return TRUNCATED;
            }
            for (long i = 0; i < count; i++) {
                long e = first + i * entrySize;
                if (uint(e, 2) != tag) {
                    continue;
                }
                long type = uint(e + 2, 2);
                long valueAt = e + (big ? 12 : 8);
                if (type == 3) { // SHORT
                    return uint(valueAt, 2);
                }
                if (type == 4) { // LONG
                    return uint(valueAt, 4);
                }
                if (type == 16) { // LONG8 (BigTIFF)
                    return uint(valueAt, 8);
                }
                return -1;
            }
            return -1;
        }

        private long uint(long offset, int size) {
            long at = start + offset;
            if (offset < 0 || at + size > end) {
                return 0;
            }
            long v = 0;
            for (int i = 0; i < size; i++) {
                int byteAt = (int) (little ? at + size - 1 - i : at + i);
                v = (v << 8) | (b[byteAt] & 0xFF);
            }
            return v;
        }
    }
}
