package io.github.facetoon.app.common;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Work that runs in the background and reports on the UI thread: the studio's one way of doing it. The work never
 * touches a control; what it returns reaches {@code onDone} on the UI thread, a failure reaches {@code onError} there.
 */
public final class UiTask {

    private UiTask() {}

    /**
     * Runs work in the background, then hands its result or its failure to the UI thread.
     *
     * @param background where the work runs
     * @param ui the UI thread's executor
     * @param work the work
     * @param onDone on the UI thread, with the result
     * @param onError on the UI thread, with the failure
     * @param <T> the result
     * @return completes (on the background thread) with the result or the failure, after the UI handler was queued
     */
    public static <T> CompletableFuture<T> run(Executor background, Executor ui, Callable<T> work, Consumer<T> onDone,
                                               Consumer<Exception> onError) {
        CompletableFuture<T> done = new CompletableFuture<>();
        background.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                ui.execute(() -> onError.accept(e));
                done.completeExceptionally(e);
                return;
            }
            ui.execute(() -> onDone.accept(result));
            done.complete(result);
        });
        return done;
    }
}
