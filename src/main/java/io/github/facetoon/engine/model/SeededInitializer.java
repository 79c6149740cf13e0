package io.github.facetoon.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Draws initial values on the host from a Java random stream keyed by (seed, parameter path), so that the same seed
 * gives bit-identical weights on every device, in every thread and whatever else consumed the engine's global
 * random generator before.
 *
 * <p>Conv kernels use Glorot (Xavier) uniform, {@code U(-a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))},
 * {@code fanIn = in·k·k}, {@code fanOut = out·k·k}: the TF1 default of {@code slim.convolution2d} and
 * {@code tf.get_variable} that White-box's generator and discriminator use. Biases start at zero. A spectral-norm
 * {@code u} vector starts as a random unit vector.
 */
final class SeededInitializer implements Initializer {

    /** What kind of values to draw. */
    enum Kind {
        /** Glorot uniform for an (out, in, k, k) kernel. */
        GLOROT_UNIFORM,
        /** All zeros. */
        ZEROS,
        /** A standard-normal vector scaled to unit length. */
        UNIT_GAUSSIAN
    }

    private final Kind kind;
    private final long streamSeed;

    /**
     * Creates an initializer whose random stream depends only on the seed and the parameter path.
     *
     * @param kind the distribution
     * @param seed the networks' seed
     * @param path a stable name of the parameter, e.g. {@code "generator/conv0_weight"}
     */
    SeededInitializer(Kind kind, long seed, String path) {
        this.kind = kind;
        this.streamSeed = mix(seed, path);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        int size = Math.toIntExact(shape.size());
        float[] values = new float[size];
        SplittableRandom random = new SplittableRandom(streamSeed);
        if (kind == Kind.GLOROT_UNIFORM) {
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException("Glorot needs an (out, in, ...) kernel, got " + shape);
            }
            long receptive = shape.dimension() > 2 ? shape.slice(2).size() : 1;
            double fanIn = shape.get(1) * (double) receptive;
            double fanOut = shape.get(0) * (double) receptive;
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            for (int i = 0; i < size; i++) {
                values[i] = (float) random.nextDouble(-limit, limit);
            }
        } else if (kind == Kind.UNIT_GAUSSIAN) {
            double[] gaussian = new double[size];
            double squares = 0;
            for (int i = 0; i < size; i++) {
                gaussian[i] = nextGaussian(random);
                squares += gaussian[i] * gaussian[i];
            }
            double norm = Math.max(Math.sqrt(squares), 1e-12);
            for (int i = 0; i < size; i++) {
                values[i] = (float) (gaussian[i] / norm);
            }
        }
        NDArray array = manager.create(values, shape);
        if (dataType == DataType.FLOAT32) {
            return array;
        }
        try (array) {
            return array.toType(dataType, true);
        }
    }

    /** Marsaglia polar method on the given stream (SplittableRandom has no nextGaussian in Java 17). */
    private static double nextGaussian(SplittableRandom random) {
        double x;
        double y;
        double s;
        do {
            x = random.nextDouble(-1.0, 1.0);
            y = random.nextDouble(-1.0, 1.0);
            s = x * x + y * y;
        } while (s >= 1.0 || s == 0.0);
        return x * Math.sqrt(-2.0 * Math.log(s) / s);
    }

    /** FNV-1a over the path's UTF-8 bytes, combined with the seed; stable across JVMs (unlike identity hashes). */
    private static long mix(long seed, String path) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return seed * 0x9E3779B97F4A7C15L ^ hash;
    }
}
