package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Timings for a training batch (16 images at 128 px) on this machine; prints, asserts only shapes. Slow. */
@Tag("slow")
class RepresentationTimingTest {

    @Test
    void batchOfSixteenAt128() throws IOException {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        float[] face = StructureRepresentationTest.loadFace(128);
        float[][] images = new float[16][];
        for (int i = 0; i < images.length; i++) {
            images[i] = face.clone();
            images[i][i] += 0.01f;
        }
        int threads = Runtime.getRuntime().availableProcessors();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                StructureRepresentation structure = new StructureRepresentation(threads)) {
            NDArray batch = ImageTensors.toBatch(m, images, 128, 128);
            for (int warm = 0; warm < 3; warm++) {
                structure.apply(batch, m);
            }
            long t0 = System.nanoTime();
            int reps = 5;
            NDArray out = null;
            for (int r = 0; r < reps; r++) {
                out = structure.apply(batch, m);
            }
            double batchMs = (System.nanoTime() - t0) / 1e6 / reps;
            long t1 = System.nanoTime();
            for (int r = 0; r < 20; r++) {
                StructureRepresentation.superpixelize(face, 128, 128);
            }
            double oneMs = (System.nanoTime() - t1) / 1e6 / 20;
            int segments = StructureRepresentation.segment(face, 128, 128, 200).count();
            System.out.printf("structure: batch 16x128^2 on %d threads %.1f ms; one image %.2f ms; %d segments%n",
                    threads, batchMs, oneMs, segments);
            assertEquals(16, out.getShape().get(0));
        }
    }

    @Test
    void surfaceForwardAndBackwardAt128() {
        EngineRuntime.ensureConfigured();
        SurfaceRepresentation surface = new SurfaceRepresentation();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(16, 3, 128, 128));
            x.setRequiresGradient(true);
            double fwd = 0;
            double total = 0;
            int reps = 5;
            for (int r = -2; r < reps; r++) {
                long t0 = System.nanoTime();
                try (GradientCollector gc = EngineRuntime.engine().newGradientCollector()) {
                    NDArray y = surface.apply(x);
                    long t1 = System.nanoTime();
                    gc.backward(y.sum());
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        fwd += (t1 - t0) / 1e6;
                        total += (t2 - t0) / 1e6;
                    }
                    y.close();
                }
            }
            System.out.printf("surface GF r=5: batch 16x3x128^2 forward %.1f ms, forward+backward %.1f ms%n",
                    fwd / reps, total / reps);
            assertEquals(new Shape(16, 3, 128, 128), x.getGradient().getShape());
        }
    }
}
