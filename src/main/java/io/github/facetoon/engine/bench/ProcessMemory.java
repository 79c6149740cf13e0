package io.github.facetoon.engine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory of this process: Java heap in use (from the {@code MemoryMXBean}) and the resident set size, which
 * includes the native tensors, read from {@code /proc/self/status} where the system has it (-1 elsewhere).
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    /**
     * One reading.
     *
     * @param heapBytes heap in use
     * @param rssBytes resident set size, or -1 when unknown
     */
    public record Sample(long heapBytes, long rssBytes) {}

    /** Tracks the largest readings seen between {@link #reset()} and now. */
    public static final class Peak {
        private long heap;
        private long rss = -1;

        /** Takes a reading and keeps the maxima. @return the reading */
        public Sample sample() {
            Sample s = now();
            heap = Math.max(heap, s.heapBytes());
            rss = Math.max(rss, s.rssBytes());
            return s;
        }

        /** Forgets the maxima. */
        public void reset() {
            heap = 0;
            rss = -1;
        }

        /** Returns the largest heap in use seen. */
        public long heapBytes() {
            return heap;
        }

        /** Returns the largest RSS seen, or -1 when unknown. */
        public long rssBytes() {
            return rss;
        }
    }

    private ProcessMemory() {}

    /** Returns the current heap in use and RSS. */
    public static Sample now() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sample(heap, statusKiB("VmRSS:") * 1024);
    }

    /** Runs a full collection twice, then reads: the reading to compare for drift. @return the reading */
    public static Sample settled() {
        System.gc();
        System.gc();
        return now();
    }

    /** Returns the process's peak RSS since it started ({@code VmHWM}), or -1 when unknown. */
    public static long peakRssBytes() {
        long kib = statusKiB("VmHWM:");
        return kib < 0 ? -1 : kib * 1024;
    }

    private static long statusKiB(String key) {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
