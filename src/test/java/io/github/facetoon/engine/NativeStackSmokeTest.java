package io.github.facetoon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.ximgproc.SuperpixelSLIC;
import org.opencv.ximgproc.Ximgproc;

/** The native pieces the engine stands on load offline and do what the engine relies on. */
class NativeStackSmokeTest {

    @Test
    void djlRunsOfflineOnCpuWithBilinearGradients() {
        EngineRuntime.ensureConfigured();
        assertTrue(EngineRuntime.isOffline(), "DJL must run in offline mode by default");
        Engine engine = EngineRuntime.engine();
        assertEquals("PyTorch", engine.getEngineName());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 2, 4, 4));
            x.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray up = x.getNDArrayInternal().interpolation(new long[] {8, 8}, 1, false);
                assertEquals(new Shape(1, 2, 8, 8), up.getShape());
                gc.backward(up.sum());
            }
            // Each input pixel spreads weight 4 over the doubled grid: the gradient sums to 4 per input.
            assertEquals(4f * 32, x.getGradient().sum().getFloat(), 1e-3);
        }
    }

    @Test
    void openCvLoadsWithContribSuperpixels() {
        OpenCvRuntime.ensureLoaded();
        Mat img = new Mat(32, 32, CvType.CV_8UC3, new Scalar(10, 20, 30));
        SuperpixelSLIC slic = Ximgproc.createSuperpixelSLIC(img, Ximgproc.SLIC, 8, 10f);
        slic.iterate(5);
        assertTrue(slic.getNumberOfSuperpixels() > 0);
    }
}
