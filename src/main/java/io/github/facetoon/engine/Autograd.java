package io.github.facetoon.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records a block's operations for autograd on the current thread, and runs the backward pass of a loss.
 *
 * <pre>try (Autograd ag = Autograd.record()) { loss = ...; ag.backward(loss); }</pre>
 *
 * <p>What DJL's {@code GradientCollector} does for PyTorch, without its process-wide rule that only one collector
 * may be open at a time: PyTorch's grad mode is per thread, so data-parallel training, with one thread per device,
 * can record on every device at once.
 */
public final class Autograd implements AutoCloseable {

    private final boolean previous;

    private Autograd(boolean previous) {
        this.previous = previous;
    }

    /** Switches recording on for the current thread until {@link #close()}. @return the scope */
    public static Autograd record() {
        EngineRuntime.engine();
        boolean prev = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        return new Autograd(prev);
    }

    /**
     * Accumulates d(loss)/d(parameter) into the gradients of every array that requires one; the graph is freed.
     *
     * @param loss a scalar recorded in this scope
     */
    public void backward(NDArray loss) {
        try (NDArray ones = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
