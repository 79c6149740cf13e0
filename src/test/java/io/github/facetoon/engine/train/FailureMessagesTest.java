package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Failures reach the user as one line that says what to do. */
class FailureMessagesTest {

    private static final String ADVICE = "out of memory: try a smaller --batch_size or --image_size";

    @Test
    void gpuOutOfMemorySuggestsASmallerBatchOrImage() {
        EngineException cuda = new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.1 GiB total)");
        assertEquals(ADVICE, TrainingRunner.describeFailure(cuda));
        assertEquals(ADVICE, TrainingRunner.describeFailure(new RuntimeException("step failed", cuda)));
    }

    @Test
    void cpuAndJavaOutOfMemoryToo() {
        assertEquals(ADVICE, TrainingRunner.describeFailure(
                new EngineException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")));
        assertEquals(ADVICE, TrainingRunner.describeFailure(new OutOfMemoryError("Java heap space")));
    }

    @Test
    void otherFailuresKeepTheirMessage() {
        String m = TrainingRunner.describeFailure(new UncheckedIOException("photos: none of the 3 photos could be used",
                new java.io.IOException("x")));
        assertTrue(m.contains("none of the 3 photos"), m);
    }
}
