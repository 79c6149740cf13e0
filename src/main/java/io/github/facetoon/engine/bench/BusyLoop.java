package io.github.facetoon.engine.bench;

/**
 * Another program keeping one core busy, for the busy-core measurement of {@code bench}: one thread spinning until
 * its standard input closes (the benchmark ends it) or, at the latest, after ten minutes.
 */
public final class BusyLoop {

    private BusyLoop() {}

    /**
     * Spins.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the end of the input
                }
            } catch (java.io.IOException ignored) {
                // the benchmark went away
            }
            System.exit(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        long end = System.nanoTime() + 600_000_000_000L;
        double x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 1.0000001 + 1e-9;
            }
            sink = x; // a volatile write: the loop cannot be optimised away
        }
    }

    /** Where the loop's result goes, so that the work is done. */
    private static volatile double sink;
}
