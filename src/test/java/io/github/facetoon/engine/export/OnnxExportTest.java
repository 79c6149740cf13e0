package io.github.facetoon.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The ONNX export runs in ONNX Runtime and gives the engine's own output: the generator alone and with the inference
 * guided filter, on random and real inputs, at sizes other than the ones it was traced at (dynamic height and width).
 */
class OnnxExportTest {

    /** The largest difference allowed between ONNX Runtime and the engine, on values in [-1,1]. */
    private static final float TOLERANCE = 1e-4f;

    private static NDManager manager;
    private static CartoonNetworks networks;
    private static OrtEnvironment ort;

    /** The generator compared: the bundled model's trained weights. */
    @BeforeAll
    static void setUp() throws Exception {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        manager = NDManager.newBaseManager();
        networks = CartoonNetworks.create(manager, 11);
        byte[] trained = CheckpointFile.read(Path.of("checkpoints/facetoon-default.ftc")).section("generator");
        networks.load(CartoonNetworks.Network.GENERATOR, new DataInputStream(new ByteArrayInputStream(trained)));
        ort = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void tearDown() {
        networks.close();
        manager.close();
    }

    @Test
    void theGeneratorRunsInOnnxRuntimeAsInTheEngineOnRandomAndRealPhotos(@TempDir Path dir) throws Exception {
        Path file = write(dir.resolve("g.onnx"), -1);
        float worst = 0;
        for (Input photo : new Input[] {random(40, 56, 1), random(64, 64, 2), real(72, 48)}) {
            worst = Math.max(worst, maxDifference(file, photo, false));
        }
        assertTrue(worst <= TOLERANCE, "largest difference " + worst);
    }

    @Test
    void theGuidedFilterInsideTheGraphGivesTheEnginesCartoon(@TempDir Path dir) throws Exception {
        Path file = write(dir.resolve("gf.onnx"), 1);
        float worst = 0;
        for (Input photo : new Input[] {random(48, 40, 3), real(64, 80)}) {
            worst = Math.max(worst, maxDifference(file, photo, true));
        }
        assertTrue(worst <= TOLERANCE, "largest difference " + worst);
    }

    @Test
    void theEngineWritesTheBundledModelWithItsMetadataAndRefusesWhatIsNoModel(@TempDir Path dir) throws Exception {
        try (StudioEngine engine = StudioEngines.open(new Workspace(dir.resolve("ws")), "cpu")) {
            Path out = dir.resolve("models/bundled.onnx");
            long bytes = engine.exportOnnx(new ModelChoice.Bundled(), out, true, 1.0);
            assertEquals(Files.size(out), bytes);
            try (OrtSession s = ort.createSession(out.toString(), new OrtSession.SessionOptions())) {
                Map<String, String> meta = s.getMetadata().getCustomMetadata();
                assertTrue(meta.get("facetoon.input").contains("[-1,1]"), meta.toString());
                assertTrue(meta.get("facetoon.guided_filter").startsWith("inside"), meta.toString());
                assertTrue(meta.get("facetoon.output").contains("RGB"), meta.toString());
                // Dynamic height and width: two sizes through the same session.
                for (int[] hw : new int[][] {{32, 48}, {56, 40}}) {
                    Input x = random(hw[0], hw[1], 5);
                    try (OnnxTensor in = OnnxTensor.createTensor(ort, FloatBuffer.wrap(x.chw), new long[] {1, 3, hw[0], hw[1]});
                         OrtSession.Result r = s.run(Map.of(GeneratorOnnx.INPUT, in))) {
                        long[] shape = ((OnnxTensor) r.get(0)).getInfo().getShape();
                        assertEquals(hw[0], shape[2]);
                        assertEquals(hw[1], shape[3]);
                    }
                }
            }
            Path damaged = dir.resolve("damaged.ftc");
            Files.write(damaged, new byte[] {'F', 'T', 'C', 'K', 0, 1, 2, 3, 4, 5});
            Path noFile = dir.resolve("damaged.onnx");
            assertThrows(IOException.class, () -> engine.exportOnnx(new ModelChoice.Checkpoint(damaged), noFile, false, 1.0));
            IllegalArgumentException classic = assertThrows(IllegalArgumentException.class,
                    () -> engine.exportOnnx(new ModelChoice.Classic(), noFile, false, 1.0));
            assertTrue(classic.getMessage().contains("classic filter"), classic.getMessage());
            assertFalse(Files.exists(noFile), "no file for a model that could not be exported");
            try (var left = Files.list(dir.resolve("models"))) {
                assertEquals(1, left.count(), "no temporary file left beside the model");
            }
        }
    }

    /**
     * The ONNX project's own checker (with full shape inference) accepts both graphs. It runs where Debian's
     * python3-onnx is installed (.ci/run installs it), and is skipped elsewhere.
     */
    @Test
    void theOnnxCheckerAcceptsBothGraphs(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import onnx").start().waitFor() == 0,
                "Debian's python3-onnx is not installed");
        for (int radius : new int[] {-1, 1}) {
            Path file = write(dir.resolve("m" + radius + ".onnx"), radius);
            Process p = new ProcessBuilder(python.toString(), "-c", "import onnx, sys; m = onnx.load(sys.argv[1]); "
                    + "onnx.checker.check_model(m, full_check=True); print('ok', m.ir_version, m.opset_import[0].version)",
                    file.toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), said);
            assertEquals("ok 8 17", said);
        }
    }

    private static Path write(Path file, int filterRadius) throws IOException {
        OnnxGraph graph = GeneratorOnnx.build(networks.generator(), "test", filterRadius, Cartoonizer.INFERENCE_FILTER_EPS);
        OnnxGraph.writeAtomically(graph.toModel("test", "0", "test"), file);
        return file;
    }

    /** A CHW RGB image in [-1,1]. */
    private record Input(float[] chw, int h, int w) {}

    private static Input random(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[3 * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return new Input(x, h, w);
    }

    /** A training-set sample photo (assets/samples), resized: a real face. */
    private static Input real(int h, int w) {
        Mat bgr = Imgcodecs.imread(Path.of("assets/samples/astronaut.png").toString());
        Mat small = new Mat();
        Imgproc.resize(bgr, small, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
        float[] x = ImageTensors.bgrToChw(small);
        bgr.release();
        small.release();
        return new Input(x, h, w);
    }

    private static float maxDifference(Path file, Input photo, boolean filtered) throws Exception {
        int h = photo.h();
        int w = photo.w();
        float[] expected;
        try (NoGrad ng = NoGrad.enter(); NDManager sm = manager.newSubManager()) {
            NDArray x = sm.create(photo.chw(), new Shape(1, 3, h, w));
            NDArray raw = networks.generator().forward(new ParameterStore(sm, false), new NDList(x), false).singletonOrThrow();
            NDArray out = filtered ? new GuidedFilter(1, Cartoonizer.INFERENCE_FILTER_EPS).filter(x, raw).clip(-1f, 1f) : raw;
            expected = out.toFloatArray();
        }
        try (OrtSession s = ort.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(ort, FloatBuffer.wrap(photo.chw()), new long[] {1, 3, h, w});
             OrtSession.Result r = s.run(Map.of(GeneratorOnnx.INPUT, in))) {
            FloatBuffer got = ((OnnxTensor) r.get(GeneratorOnnx.OUTPUT).orElseThrow()).getFloatBuffer();
            assertEquals(expected.length, got.remaining());
            float worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - got.get(i)));
            }
            System.out.printf("ONNX parity %s %dx%d: %.2e%n", filtered ? "with filter" : "generator", w, h, worst);
            return worst;
        }
    }
}
