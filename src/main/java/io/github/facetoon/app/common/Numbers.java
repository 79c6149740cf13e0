package io.github.facetoon.app.common;

import java.util.Locale;

/** Short number and duration formats for labels. */
public final class Numbers {

    private Numbers() {}

    /**
     * Formats a weight or loss compactly: 0, 0.1, 200, 1e+04, 3.16e-03.
     *
     * @param v the value
     * @return the text
     */
    public static String compact(double v) {
        if (v == 0) {
            return "0";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            int e = (int) Math.floor(Math.log10(a));
            double m = v / Math.pow(10, e);
            if (Math.abs(Math.round(m * 100) / 100.0) >= 10) {
                m /= 10;
                e++;
            }
            return trim(String.format(Locale.ROOT, "%.2f", m)) + "e" + e;
        }
        return trim(String.format(Locale.ROOT, "%.4g", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /**
     * Parses a number typed by the user (accepts 1e4, 0,5 and surrounding blanks).
     *
     * @param text the text
     * @return the value
     * @throws NumberFormatException when it is not a number
     */
    public static double parse(String text) {
        return Double.parseDouble(text.trim().replace(',', '.'));
    }

    /**
     * Formats seconds as 1:02:03 or 2:03.
     *
     * @param seconds the duration (negative or not finite gives "–")
     * @return the text
     */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "–";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long r = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, r) : String.format(Locale.ROOT, "%d:%02d", m, r);
    }

    /**
     * A size on disk as people read it: "830 B", "24.5 MB", "538 MB", "1.2 GB" (powers of 1,000, as file managers show).
     *
     * @param bytes the size
     * @return the text
     */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
