package io.github.facetoon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeThreadsTest {

    @AfterEach
    void backToOnePerCore() {
        NativeThreads.setThreads(0);
        NativeThreads.apply();
    }

    @Test
    void theCountAskedForReachesEveryThreadThatRunsTheEngine() throws Exception {
        NativeThreads.setThreads(1);
        NativeThreads.apply();
        assertEquals(1, JniUtils.getNumThreads());
        assertEquals(1, org.opencv.core.Core.getNumThreads());
        AtomicInteger other = new AtomicInteger();
        Thread t = new Thread(() -> {
            NativeThreads.apply();
            other.set(JniUtils.getNumThreads());
        });
        t.start();
        t.join();
        assertEquals(1, other.get(), "OpenMP keeps a count per thread: a new engine thread applies it too");
        NativeThreads.setThreads(0);
        NativeThreads.apply();
        assertEquals(Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads());
        assertThrows(IllegalArgumentException.class, () -> NativeThreads.setThreads(-1));
    }
}
