package io.github.facetoon.engine.vision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * Loads OpenCV's native library (with contrib modules) once per process.
 *
 * <p>From a jar, JavaCPP unpacks the natives into its cache ({@code ~/.javacpp/cache}). The desktop
 * bundle ships them unpacked instead and names their folder in {@value #LIBRARY_PATH_PROPERTY}; it
 * also runs with {@code org.bytedeco.javacpp.pathsFirst=true} (take libraries from
 * {@code java.library.path}) and {@code org.bytedeco.openblas.load=none}, because JavaCPP's OpenBLAS
 * preset would otherwise copy {@code libopenblas.so.0} (37 MB) into the cache under a second name.
 * With the preset switched off, this class loads the bundled OpenBLAS itself, so that OpenCV links
 * against it and not against whatever OpenBLAS the system has (or lacks).
 */
public final class OpenCvRuntime {

    /** System property naming a folder of unpacked OpenCV/OpenBLAS libraries (set by the desktop bundle). */
    public static final String LIBRARY_PATH_PROPERTY = "facetoon.opencv.libraryPath";

    /** OpenBLAS and its Fortran runtime, in dependency order. */
    private static final List<String> OPENBLAS_CHAIN = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    private static volatile boolean loaded;

    private OpenCvRuntime() {}

    /** Loads the OpenCV natives if not yet loaded; safe to call from any thread, any number of times. */
    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCvRuntime.class) {
                if (!loaded) {
                    io.github.facetoon.engine.NativeThreads.configure();
                    preloadBundledOpenBlas();
                    Loader.load(org.bytedeco.opencv.opencv_java.class);
                    loaded = true;
                }
            }
        }
    }

    private static void preloadBundledOpenBlas() {
        String dir = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        for (String name : OPENBLAS_CHAIN) {
            Path lib = Path.of(dir, name);
            if (Files.isRegularFile(lib)) {
                System.load(lib.toAbsolutePath().toString());
            }
        }
    }
}
