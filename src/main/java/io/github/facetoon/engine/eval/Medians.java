package io.github.facetoon.engine.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

/** The median used for every per-model figure: NaN values are skipped, nothing left gives NaN. */
public final class Medians {

    private Medians() {}

    /**
     * The median of the values that are not NaN (the mean of the two middle ones for an even count).
     *
     * @param values the values; not modified
     * @return the median, or NaN when no value is a number
     */
    public static double of(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The median of one figure over a collection.
     *
     * @param rows the rows
     * @param figure reads the figure of one row
     * @param <T> the row type
     * @return the NaN-skipping median
     */
    public static <T> double of(Collection<? extends T> rows, ToDoubleFunction<? super T> figure) {
        return of(rows.stream().mapToDouble(figure).toArray());
    }
}
