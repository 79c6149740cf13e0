package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Convolution helpers that reproduce TensorFlow semantics on DJL's PyTorch engine.
 *
 * <p>TensorFlow's {@code "same"} padding is asymmetric when the total padding is odd (the extra row or
 * column goes to the bottom or right); PyTorch only pads symmetrically inside the convolution, so the odd
 * case pads explicitly first. Filters are converted from tfjs layouts (HWIO, and HWC1 for depthwise) to
 * PyTorch's OIHW once, at load time.
 */
final class TfConvolutions {

    private TfConvolutions() {}

    /**
     * Convolves with TensorFlow "same" padding.
     *
     * @param x (N,C,H,W)
     * @param weight (O,C/groups,k,k) OIHW
     * @param bias (O) or null
     * @param stride the stride in both directions
     * @param groups 1 for a full convolution, C for a depthwise one
     * @return (N,O,ceil(H/stride),ceil(W/stride))
     */
    static NDArray convSame(NDArray x, NDArray weight, NDArray bias, int stride, int groups) {
        long k = weight.getShape().get(2);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long padH = samePaddingTotal(h, k, stride);
        long padW = samePaddingTotal(w, k, stride);
        long top = padH / 2;
        long left = padW / 2;
        NDArray in = x;
        long symH = top;
        long symW = left;
        if (padH % 2 != 0 || padW % 2 != 0) {
            // (left, right, top, bottom), last axis first: the extra pixel goes right and bottom as in TF.
            in = x.pad(new Shape(left, padW - left, top, padH - top), 0);
            symH = 0;
            symW = 0;
        }
        NDArray out = Conv2d.conv2d(in, weight, bias, new Shape(stride, stride), new Shape(symH, symW),
                new Shape(1, 1), groups).singletonOrThrow();
        if (in != x) {
            in.close();
        }
        return out;
    }

    /** Total "same" padding along one axis: enough for ceil(size/stride) outputs. */
    static long samePaddingTotal(long size, long kernel, long stride) {
        long out = (size + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - size, 0);
    }

    /**
     * Converts a tfjs convolution filter (kh,kw,in,out) to OIHW.
     *
     * @param hwio values in HWIO order
     * @param shape the HWIO shape
     * @return values in OIHW order
     */
    static float[] hwioToOihw(float[] hwio, long[] shape) {
        int kh = (int) shape[0];
        int kw = (int) shape[1];
        int in = (int) shape[2];
        int out = (int) shape[3];
        float[] oihw = new float[hwio.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = hwio[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        return oihw;
    }
}
