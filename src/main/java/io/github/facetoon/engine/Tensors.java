package io.github.facetoon.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a number that is safe under autograd.
 *
 * <p>DJL's {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)} and {@code maximum(Number)} turn the number
 * into an array created from Java data and close it right after the operation. On the CPU such an array borrows
 * Java memory; autograd keeps it for the backward pass, and once the garbage collector frees that memory the
 * gradients read whatever is there (trainings turned NaN after a few dozen steps). These helpers make the number
 * with the engine's own {@code full}, which owns its memory, in float32 on the operand's device.
 * ({@code add}/{@code sub} with a number are safe: their backward does not keep the number.)
 */
public final class Tensors {

    private Tensors() {}

    private static NDArray scalar(NDArray like, float v) {
        return like.getManager().full(new Shape(), v, like.getDataType());
    }

    /** {@code x · v}. @param x the array @param v the factor @return a new array */
    public static NDArray mul(NDArray x, double v) {
        return x.mul(scalar(x, (float) v));
    }

    /** {@code x / v}. @param x the array @param v the divisor @return a new array */
    public static NDArray div(NDArray x, double v) {
        return x.div(scalar(x, (float) v));
    }

    /** {@code x ^ v}. @param x the array @param v the exponent @return a new array */
    public static NDArray pow(NDArray x, double v) {
        return x.pow(scalar(x, (float) v));
    }

    /** {@code max(x, v)} element-wise. @param x the array @param v the floor @return a new array */
    public static NDArray max(NDArray x, double v) {
        return x.maximum(scalar(x, (float) v));
    }
}
