package io.github.facetoon.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the native libraries' worker threads wait between parallel regions, set before any of them loads.
 *
 * <p>libtorch's OpenMP runtime (GNU libgomp) lets idle workers spin for a while after every parallel region. On a
 * machine whose other cores are busy (another program, a second training, the studio's own UI work) the spinning
 * workers take the cores the working ones need: measured here, with a training on one core, a 183-px cartoon took
 * 1.4 s in the network and 3.6 s in face detection with the default policy against 0.54 s and 0.34 s with
 * {@code OMP_WAIT_POLICY=PASSIVE}. So the product asks for passive waiting, unless the user's environment already
 * says otherwise (an {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT} of their own is respected).
 *
 * <p>libgomp reads its environment once, when it is loaded; {@link #configure()} must therefore run before DJL's
 * engine or OpenCV load, which {@link EngineRuntime#configure} and the OpenCV loader ensure.
 */
public final class NativeThreads {

    private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);
    /** The wait policy asked for. */
    public static final String WAIT_POLICY = "PASSIVE";
    private static volatile boolean done;
    /** Threads asked for; 0: one per core. */
    private static volatile int requested;
    /** The count applied on each thread that runs the engine (OpenMP keeps one per calling thread). */
    private static final ThreadLocal<Integer> APPLIED = ThreadLocal.withInitial(() -> -1);
    private static volatile int appliedOpenCv = -1;

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private NativeThreads() {}

    /** Sets the OpenMP wait policy for this process, once; a no-op where the environment already has one. */
    public static synchronized void configure() {
        if (done) {
            return;
        }
        done = true;
        if (System.getenv("OMP_WAIT_POLICY") != null || System.getenv("GOMP_SPINCOUNT") != null || Platform.isWindows()) {
            return;
        }
        try {
            Native.load("c", C.class).setenv("OMP_WAIT_POLICY", WAIT_POLICY, 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("could not set the OpenMP wait policy: {}", e.toString());
        }
    }

    /** The policy in force for this process's native libraries ("PASSIVE", the user's value, or "default"). */
    public static String policy() {
        String fromUser = System.getenv("OMP_WAIT_POLICY");
        return fromUser != null ? fromUser : done && !Platform.isWindows() ? WAIT_POLICY + " (set by FaceToon)" : "default";
    }

    /**
     * Sets how many threads the engine's operations use from now on (libtorch's intra-op threads on every thread that
     * runs the engine, OpenCV's pool); a running training picks it up at its next step.
     *
     * <p>Measured with {@code bench --only busy} (docs/benchmarks.md): with the passive wait policy, a program keeping
     * one of two cores busy slows a training by 1.0-1.6x at two threads and 0.6-1.5x at one; at small sizes (64 px,
     * batch 2) one thread is faster even on a quiet machine.
     *
     * @param threads at least 1, or 0 for one per core
     */
    public static void setThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per core) or more, got " + threads);
        }
        requested = threads;
    }

    /** The threads asked for; 0: one per core. */
    public static int requested() {
        return requested;
    }

    /** The threads the engine's operations use. */
    public static int threads() {
        int n = requested;
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Brings the calling thread (and OpenCV) to the thread count asked for; cheap when nothing changed. Call it on any
     * thread before it runs the engine.
     */
    public static void apply() {
        int n = threads();
        if (APPLIED.get() != n) {
            EngineRuntime.engine();
            ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
            APPLIED.set(n);
        }
        if (appliedOpenCv != n) {
            io.github.facetoon.engine.vision.OpenCvRuntime.ensureLoaded();
            org.opencv.core.Core.setNumThreads(n);
            appliedOpenCv = n;
        }
    }
}
