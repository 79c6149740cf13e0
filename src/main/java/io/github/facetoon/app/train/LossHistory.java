package io.github.facetoon.app.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss values of a run, per term, bounded in memory: when a term holds {@link #CAPACITY} points every
 * second one is dropped, so a long run keeps its whole shape at a coarser grain. Not thread-safe: used on the
 * UI thread only.
 */
public final class LossHistory {

    /** Points kept per term before thinning. */
    static final int CAPACITY = 4096;

    private final Map<String, Series> series = new LinkedHashMap<>();

    /**
     * Adds the losses of one step.
     *
     * @param iteration the step
     * @param losses term name to value (non-finite values are skipped)
     */
    public void add(int iteration, Map<String, Double> losses) {
        losses.forEach((term, value) -> {
            if (value != null && Double.isFinite(value)) {
                series.computeIfAbsent(term, t -> new Series()).add(iteration, value);
            }
        });
    }

    /**
     * Drops every point after an iteration: a roll-back discarded those steps, and the chart shows only the history the
     * run kept.
     *
     * @param iteration the last iteration kept
     */
    public void truncateAfter(int iteration) {
        for (Series s : series.values()) {
            while (s.size > 0 && s.iterations[s.size - 1] > iteration) {
                s.size--;
            }
        }
    }

    /** Removes everything (a new run starts). */
    public void clear() {
        series.clear();
    }

    /** The terms that have values, in arrival order. */
    public List<String> terms() {
        return new ArrayList<>(series.keySet());
    }

    /**
     * Returns the number of points kept for a term.
     *
     * @param term the term
     * @return the count
     */
    public int size(String term) {
        Series s = series.get(term);
        return s == null ? 0 : s.size;
    }

    /**
     * Returns the newest raw value of a term.
     *
     * @param term the term
     * @return the value, NaN when none
     */
    public double last(String term) {
        Series s = series.get(term);
        return s == null || s.size == 0 ? Double.NaN : s.values[s.size - 1];
    }

    /**
     * Returns a term smoothed by an exponential moving average and thinned to at most {@code maxPoints} points.
     *
     * @param term the term
     * @param smoothing 0 (raw) to 0.99 (very smooth): the weight of the past in the average
     * @param maxPoints the most points to return
     * @return two rows: iterations and smoothed values
     */
    public double[][] smoothed(String term, double smoothing, int maxPoints) {
        Series s = series.get(term);
        if (s == null || s.size == 0) {
            return new double[2][0];
        }
        double a = Math.max(0, Math.min(0.999, smoothing));
        double[] smooth = new double[s.size];
        double ema = s.values[0];
        for (int i = 0; i < s.size; i++) {
            ema = a * ema + (1 - a) * s.values[i];
            smooth[i] = ema;
        }
        int stride = Math.max(1, (int) Math.ceil(s.size / (double) maxPoints));
        int n = (s.size + stride - 1) / stride;
        double[][] out = new double[2][n];
        for (int k = 0; k < n; k++) {
            // The last point is always the newest, so the line ends where the run is.
            int i = Math.min(s.size - 1, k == n - 1 ? s.size - 1 : k * stride);
            out[0][k] = s.iterations[i];
            out[1][k] = smooth[i];
        }
        return out;
    }

    private static final class Series {
        int[] iterations = new int[64];
        double[] values = new double[64];
        int size;

        void add(int iteration, double value) {
            if (size == CAPACITY) {
                thin();
            }
            if (size == iterations.length) {
                iterations = Arrays.copyOf(iterations, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            iterations[size] = iteration;
            values[size] = value;
            size++;
        }

        private void thin() {
            int j = 0;
            for (int i = 0; i < size; i += 2) {
                iterations[j] = iterations[i];
                // Average the pair so thinning does not alias the noise.
                values[j] = i + 1 < size ? (values[i] + values[i + 1]) / 2 : values[i];
                j++;
            }
            size = j;
        }
    }
}
