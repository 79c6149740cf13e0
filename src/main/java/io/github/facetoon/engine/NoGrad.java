package io.github.facetoon.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd recording off on the current thread for a block of inference code (PyTorch's grad mode is
 * per thread, and DJL only switches it off on the thread that loaded the engine).
 *
 * <pre>try (NoGrad ignored = NoGrad.enter()) { ... }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Switches recording off until {@link #close()}. @return the scope */
    public static NoGrad enter() {
        EngineRuntime.engine();
        boolean prev = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGrad(prev);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
