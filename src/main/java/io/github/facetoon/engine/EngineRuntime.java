package io.github.facetoon.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide set-up of the deep-learning engine: offline mode, engine choice and device choice.
 *
 * <p>{@link #configure(boolean)} must run before anything touches DJL: DJL reads its offline flag
 * when the engine first loads, and without it the PyTorch engine tries to reach the network at
 * start-up.
 */
public final class EngineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);
    private static final String ENGINE = "PyTorch";
    private static volatile boolean configured;

    private EngineRuntime() {}

    /**
     * Sets DJL's offline mode (unless downloads are allowed) and the default engine.
     *
     * @param allowDownloads true only when the user asked for network access
     */
    public static synchronized void configure(boolean allowDownloads) {
        System.setProperty("ai.djl.offline", Boolean.toString(!allowDownloads));
        System.setProperty("ai.djl.default_engine", ENGINE);
        configured = true;
    }

    /** Applies the offline default once, for callers (tests, the studio) that did not configure. */
    public static void ensureConfigured() {
        if (!configured) {
            synchronized (EngineRuntime.class) {
                if (!configured) {
                    boolean allow = Boolean.getBoolean("facetoon.allowDownloads");
                    configure(allow);
                }
            }
        }
    }

    /** Returns whether DJL runs in offline mode. */
    public static boolean isOffline() {
        return Boolean.parseBoolean(System.getProperty("ai.djl.offline", "false"));
    }

    /** Returns the PyTorch engine, loading it on first use. */
    public static Engine engine() {
        ensureConfigured();
        return Engine.getEngine(ENGINE);
    }

    /**
     * Resolves a device specification.
     *
     * @param spec {@code auto} (GPU when DJL sees one, else CPU), {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device
     * @throws IllegalArgumentException for an unknown specification or a GPU that is not there
     */
    public static Device resolveDevice(String spec) {
        Engine engine = engine();
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        int gpus = engine.getGpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = 0;
            if (s.startsWith("gpu:")) {
                try {
                    id = Integer.parseInt(s.substring(4));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad device '" + spec + "': expected gpu:N with N a number");
                }
            }
            if (id < 0 || id >= gpus) {
                throw new IllegalArgumentException("device '" + spec + "' is not available: DJL sees "
                        + gpus + " GPU(s)" + (gpus == 0 ? " (running on CPU needs --device cpu or auto)" : ""));
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("bad device '" + spec + "': expected auto, cpu, gpu or gpu:N");
    }

    /**
     * Returns a one-line description of the engine and the device, for logs and the About box.
     *
     * @param device the chosen device
     * @return for example "PyTorch 2.7.1 on cpu (offline)"
     */
    public static String describe(Device device) {
        Engine engine = engine();
        return engine.getEngineName() + " " + engine.getVersion() + " on " + device
                + (isOffline() ? " (offline)" : " (downloads allowed)");
    }

    /**
     * Logs the engine and the device once at start.
     *
     * @param device the chosen device
     */
    public static void logStart(Device device) {
        LOG.info("Engine: {}", describe(device));
    }
}
