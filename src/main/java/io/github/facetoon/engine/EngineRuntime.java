package io.github.facetoon.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.ArrayList;
import java.util.List;
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
        NativeThreads.configure();
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
            return availableGpu(id, spec, gpus);
        }
        throw new IllegalArgumentException("bad device '" + spec + "': expected auto, cpu, gpu or gpu:N");
    }

    private static Device availableGpu(int id, String spec, int gpus) {
        if (gpus == 0) {
            throw new IllegalArgumentException(noGpu(spec, engine().hasCapability(StandardCapabilities.CUDA)));
        }
        if (id < 0 || id >= gpus) {
            throw new IllegalArgumentException("device '" + spec + "': GPU " + id + " is not available; there are "
                    + gpus + " (gpu:0 to gpu:" + (gpus - 1) + ")");
        }
        return Device.gpu(id);
    }

    /**
     * What a user is told when a GPU is asked for and none is usable: what it needs, in one line.
     *
     * @param spec the device asked for
     * @param cudaBuild whether the engine's libtorch is a CUDA build
     * @return the message
     */
    static String noGpu(String spec, boolean cudaBuild) {
        return "device '" + spec + "': " + (cudaBuild
                ? "the CUDA build of PyTorch finds no GPU (is the NVIDIA driver installed, and does nvidia-smi list the card?)"
                : "this FaceToon runs PyTorch's CPU build, which cannot use a GPU; a GPU needs an NVIDIA driver and the "
                        + "CUDA build (docs/gpu.md)")
                + "; --device cpu or auto runs on the CPU";
    }

    /** Device specification for data-parallel training on every GPU DJL sees. */
    public static final String ALL_GPUS = "gpus";

    /**
     * Resolves a device specification that may name several devices, for data-parallel training: {@code gpus}
     * (every GPU DJL sees) or a list such as {@code gpu:0,1}; any single-device specification gives a list of one.
     *
     * @param spec the specification
     * @return the devices, at least one, no duplicates
     * @throws IllegalArgumentException for an unknown specification, a GPU that is not there, or {@code gpus} on a
     *     machine without GPUs
     */
    public static List<Device> resolveDevices(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals(ALL_GPUS)) {
            int gpus = engine().getGpuCount();
            if (gpus == 0) {
                throw new IllegalArgumentException("data-parallel training needs GPUs and DJL sees none"
                        + " (train on the CPU with --device cpu)");
            }
            List<Device> all = new ArrayList<>();
            for (int i = 0; i < gpus; i++) {
                all.add(Device.gpu(i));
            }
            return all;
        }
        if (s.startsWith("gpu:") && s.contains(",")) {
            List<Device> list = new ArrayList<>();
            int gpus = engine().getGpuCount();
            for (String part : s.substring(4).split(",", -1)) {
                int id;
                try {
                    id = Integer.parseInt(part.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad device '" + spec + "': expected gpu:N,M,... with numbers");
                }
                Device d = availableGpu(id, spec, gpus);
                if (list.contains(d)) {
                    throw new IllegalArgumentException("bad device '" + spec + "': GPU " + id + " is named twice");
                }
                list.add(d);
            }
            return list;
        }
        return List.of(resolveDevice(spec));
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
        LOG.info("Engine: {}; OpenMP wait policy {}; {} thread(s){}", describe(device), NativeThreads.policy(),
                NativeThreads.threads(), NativeThreads.requested() > 0 ? " (asked for)" : " (one per core)");
    }
}
