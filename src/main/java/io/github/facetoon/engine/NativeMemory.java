package io.github.facetoon.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the native memory of a finished training back to the system. libtorch frees its tensors, but glibc's malloc
 * keeps the freed pages in its arenas: measured after six full steps at batch 8, 128 px, the process stayed at
 * 2,235 MiB (286 MiB before the run); a garbage collection brought it to 1,542 MiB and {@code malloc_trim(0)} to
 * 471 MiB.
 */
public final class NativeMemory {

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private NativeMemory() {}

    /** Collects garbage (whose cleaners free native buffers), then returns malloc's free pages (Linux, glibc). */
    public static void release() {
        System.gc();
        if (!Platform.isLinux()) {
            return;
        }
        try {
            Native.load("c", C.class).malloc_trim(0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("malloc_trim is not available: {}", e.toString());
        }
    }
}
