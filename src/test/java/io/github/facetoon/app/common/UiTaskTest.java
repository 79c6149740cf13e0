package io.github.facetoon.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UiTaskTest {

    @Test
    void theResultAndTheFailureReachTheUiThreadAndTheWorkRunsInTheBackground() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-background"));
        ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        Executor ui = uiThread;
        List<String> seen = new ArrayList<>();
        try {
            CompletableFuture<Integer> ok = UiTask.run(background, ui, () -> {
                seen.add("work on " + Thread.currentThread().getName());
                return 42;
            }, v -> seen.add("done " + v + " on " + Thread.currentThread().getName()), e -> seen.add("error"));
            assertEquals(42, ok.get(5, TimeUnit.SECONDS));
            CompletableFuture<Integer> bad = UiTask.run(background, ui, () -> {
                throw new java.io.IOException("disk full");
            }, v -> seen.add("done"), e -> seen.add("error " + e.getMessage() + " on " + Thread.currentThread().getName()));
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> bad.get(5, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof java.io.IOException);
            uiThread.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("work on test-background", "done 42 on test-ui", "error disk full on test-ui"), seen);
        } finally {
            background.shutdownNow();
            uiThread.shutdownNow();
        }
    }
}
