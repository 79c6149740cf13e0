package io.github.facetoon.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.facetoon.engine.NoGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;

/**
 * Data-parallel plumbing for several {@link CartoonReplica}s (one per GPU): each replica works on its own thread,
 * its gradients are averaged into replica 0 (weighted by the share of the batch it had, so the result is the
 * gradient of the whole batch), replica 0's optimisers update it, and its parameters are copied back to the others.
 *
 * <pre>
 *   g = Σ_k (n_k / N) · g_k          (on replica 0's device)
 *   θ_k ← θ_0 for k &gt; 0               (every parameter, the discriminators' spectral-norm vectors included)
 * </pre>
 *
 * <p>The content and structure terms divide by the batch's mean feature magnitude; the replicas agree on it
 * through a {@link ContentExchange}, so those terms are those of the whole batch too. What is not exactly the
 * whole batch's: the landmark term averages over the faces of each share (a share without faces contributes 0).
 */
final class DataParallel implements AutoCloseable {

    /** What a replica that stopped because another one failed says (the other one's error is the one reported). */
    static final String ANOTHER_FAILED = "another replica failed";

    private final List<CartoonReplica> replicas;
    private final List<ExecutorService> threads = new ArrayList<>();

    DataParallel(List<CartoonReplica> replicas) {
        this.replicas = List.copyOf(replicas);
        for (int k = 0; k < replicas.size(); k++) {
            int id = k;
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "facetoon-replica-" + id + "-" + replicas.get(id).device);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    /**
     * Runs {@code work(k)} for every replica k on that replica's thread and waits for all of them.
     *
     * @param work the work of one replica
     * @param onFailure runs as soon as one replica fails (to release the others from a barrier)
     * @param <T> the result type
     * @return the results, by replica
     * @throws RuntimeException the first failure, after every replica has stopped
     */
    <T> List<T> runAll(IntFunction<T> work, Runnable onFailure) {
        List<Future<T>> futures = new ArrayList<>();
        for (int k = 0; k < replicas.size(); k++) {
            int id = k;
            futures.add(threads.get(k).submit(() -> {
                try {
                    return work.apply(id);
                } catch (RuntimeException | Error e) {
                    onFailure.run();
                    throw e;
                }
            }));
        }
        List<T> out = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null || ANOTHER_FAILED.equals(failure.getMessage())) {
                    failure = cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while the replicas worked", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /**
     * The agreement on the batch's mean feature magnitude for one step: replica k passes its share's mean and gets
     * the whole batch's, once every replica has passed its own.
     */
    static final class ContentExchange {
        private final double[] shareMeans;
        private final double[] shares;
        private int posted;
        private boolean aborted;
        private double global;

        ContentExchange(double[] shares) {
            this.shares = shares.clone();
            this.shareMeans = new double[shares.length];
        }

        /** The operator replica k uses as its content scale. */
        DoubleUnaryOperator forReplica(int k) {
            return mean -> exchange(k, mean);
        }

        private synchronized double exchange(int k, double mean) {
            shareMeans[k] = mean;
            if (++posted == shares.length) {
                double g = 0;
                for (int i = 0; i < shares.length; i++) {
                    g += shares[i] * shareMeans[i];
                }
                global = g;
                notifyAll();
            }
            while (posted < shares.length && !aborted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the replicas agreed on the content normaliser", e);
                }
            }
            if (posted < shares.length) {
                throw new IllegalStateException(ANOTHER_FAILED);
            }
            return global;
        }

        /** Releases every replica waiting for the others, now and later (one of them failed). */
        synchronized void abort() {
            aborted = true;
            notifyAll();
        }
    }

    /**
     * Replaces replica 0's gradients by the share-weighted sum of every replica's.
     *
     * @param params each replica's parameter list (same order in each)
     * @param shares each replica's fraction of the batch
     */
    static void averageGradients(List<List<Parameter>> params, double[] shares) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
            List<Parameter> first = params.get(0);
            for (int i = 0; i < first.size(); i++) {
                NDArray g0 = first.get(i).getArray().getGradient();
                NDArray sum = g0.mul((float) shares[0]);
                for (int k = 1; k < params.size(); k++) {
                    NDArray gk = params.get(k).get(i).getArray().getGradient();
                    sum.addi(gk.toDevice(g0.getDevice(), false).muli((float) shares[k]));
                }
                g0.set(NetworkParameters.ALL, sum);
            }
        }
    }

    /** Copies every parameter of replica 0's networks into the other replicas. */
    void broadcast() {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
            List<Parameter> source = allParameters(replicas.get(0));
            for (int k = 1; k < replicas.size(); k++) {
                List<Parameter> target = allParameters(replicas.get(k));
                for (int i = 0; i < source.size(); i++) {
                    NDArray dst = target.get(i).getArray();
                    dst.set(NetworkParameters.ALL, source.get(i).getArray().toDevice(dst.getDevice(), false));
                }
            }
        }
    }

    /** Every parameter of a replica's three networks, trainable or not, in a stable order. */
    static List<Parameter> allParameters(CartoonReplica r) {
        List<Parameter> out = new ArrayList<>();
        for (Block b : new Block[] {r.networks.generator(), r.networks.surfaceDiscriminator(),
            r.networks.textureDiscriminator()}) {
            out.addAll(b.getParameters().values());
        }
        return out;
    }

    /**
     * Each replica's fraction of a batch of {@code n} split as evenly as possible (the first ones take the rest).
     *
     * @param n batch size
     * @param replicas number of replicas
     * @return the sizes of the shares
     */
    static int[] shareSizes(int n, int replicas) {
        int[] sizes = new int[replicas];
        for (int k = 0; k < replicas; k++) {
            sizes[k] = n / replicas + (k < n % replicas ? 1 : 0);
        }
        return sizes;
    }

    @Override
    public void close() {
        for (ExecutorService t : threads) {
            t.shutdownNow();
        }
    }
}
