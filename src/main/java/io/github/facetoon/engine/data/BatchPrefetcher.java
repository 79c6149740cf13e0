package io.github.facetoon.engine.data;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Prepares the next batches on one background thread while the training works on the current one: after handing
 * out iteration k it keeps iterations k+1 … k+window queued. Asking out of order works too (what is outside the new
 * window is dropped), and a window of 0 builds each batch on the caller's thread.
 */
final class BatchPrefetcher implements AutoCloseable {

    private final IntFunction<TrainingData.Batch> source;
    private final int window;
    private final ExecutorService worker;
    // Guarded by this.
    private final TreeMap<Integer, Future<TrainingData.Batch>> queued = new TreeMap<>();
    private boolean closed;
    private long served;
    private long totalWait;
    private long maxWait;
    private long lastWait;

    /**
     * @param source builds the batch of an iteration (any thread)
     * @param window batches kept ready ahead; 0 for none
     */
    BatchPrefetcher(IntFunction<TrainingData.Batch> source, int window) {
        this.source = source;
        this.window = window;
        this.worker = window == 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "facetoon-data-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The batch of an iteration, waiting for it when it is not ready yet.
     *
     * @param iteration the iteration
     * @return its batch
     * @throws IllegalStateException when closed, interrupted, or building the batch failed
     */
    TrainingData.Batch next(int iteration) {
        long start = System.nanoTime();
        TrainingData.Batch batch;
        if (worker == null) {
            synchronized (this) {
                requireOpen();
            }
            batch = source.apply(iteration);
        } else {
            Future<TrainingData.Batch> job;
            synchronized (this) {
                requireOpen();
                int end = (int) Math.min((long) iteration + window, Integer.MAX_VALUE);
                drop(queued.headMap(iteration));
                drop(queued.tailMap(end, false));
                // Queued in order, so the single worker builds them in order.
                for (long k = iteration; k <= end && k <= Integer.MAX_VALUE; k++) {
                    int it = (int) k;
                    queued.computeIfAbsent(it, i -> worker.submit(() -> source.apply(i)));
                }
                job = queued.remove(iteration);
            }
            try {
                batch = job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for training data", e);
            } catch (CancellationException e) {
                throw new IllegalStateException("training data is closed");
            } catch (ExecutionException e) {
                throw new IllegalStateException("preparing training batches failed: " + e.getCause(), e.getCause());
            }
        }
        long waited = System.nanoTime() - start;
        synchronized (this) {
            served++;
            totalWait += waited;
            maxWait = Math.max(maxWait, waited);
            lastWait = waited;
        }
        return batch;
    }

    private static void drop(Map<Integer, Future<TrainingData.Batch>> jobs) {
        jobs.values().forEach(f -> f.cancel(false));
        jobs.clear();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("training data is closed");
        }
    }

    /** @return how long {@link #next(int)} has waited so far */
    synchronized TrainingData.WaitStats waitStats() {
        return new TrainingData.WaitStats(served, totalWait, maxWait, lastWait);
    }

    /** @return whether the background thread still runs */
    boolean alive() {
        return worker != null && !worker.isTerminated();
    }

    /** Drops the queued batches and stops the thread; later calls to {@link #next(int)} fail. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Map.Entry<Integer, Future<TrainingData.Batch>> e : queued.entrySet()) {
                e.getValue().cancel(true);
            }
            queued.clear();
        }
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
