package io.github.facetoon.engine.vision;

import org.bytedeco.javacpp.Loader;

/** Loads OpenCV's native library (with contrib modules) once per process. */
public final class OpenCvRuntime {

    private static volatile boolean loaded;

    private OpenCvRuntime() {}

    /** Loads the OpenCV natives if not yet loaded; safe to call from any thread, any number of times. */
    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCvRuntime.class) {
                if (!loaded) {
                    Loader.load(org.bytedeco.opencv.opencv_java.class);
                    loaded = true;
                }
            }
        }
    }
}
