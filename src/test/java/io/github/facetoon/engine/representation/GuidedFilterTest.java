package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.EngineRuntime;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The guided filter against a float64 reference written with plain loops. */
class GuidedFilterTest {

    private static final int N = 2;
    private static final int C = 3;
    private static final int H = 17;
    private static final int W = 23;

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        EngineRuntime.ensureConfigured();
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void constantImageStaysConstant() {
        NDArray constant = manager.full(new Shape(N, C, H, W), 0.37f);
        NDArray out = new GuidedFilter(5, 0.2f).filter(constant, constant);
        assertEquals(new Shape(N, C, H, W), out.getShape());
        float maxDiff = out.sub(0.37f).abs().max().getFloat();
        assertTrue(maxDiff < 1e-6f, "max deviation " + maxDiff);
    }

    @ParameterizedTest(name = "r={0}, eps={1}")
    @CsvSource({"2, 0.01", "2, 0.2", "5, 0.01", "5, 0.2", "0, 0.01", "12, 0.01"})
    void perChannelMatchesFloat64Reference(int r, float eps) {
        float[] guide = random(N * C * H * W, 1);
        float[] input = random(N * C * H * W, 2);
        NDArray out = new GuidedFilter(r, eps).filter(array(guide, C), array(input, C));
        double[] ref = referencePerChannel(guide, C, input, r, eps);
        assertRelativeError(ref, out.toFloatArray());
    }

    @ParameterizedTest(name = "r={0}, eps={1}")
    @CsvSource({"2, 0.01", "5, 0.2"})
    void oneChannelGuideMatchesFloat64Reference(int r, float eps) {
        float[] guide = random(N * H * W, 3);
        float[] input = random(N * C * H * W, 4);
        NDArray out = new GuidedFilter(r, eps).filter(array(guide, 1), array(input, C));
        double[] ref = referencePerChannel(guide, 1, input, r, eps);
        assertRelativeError(ref, out.toFloatArray());
    }

    @Test
    void offsetDataStaysAccurate() {
        // Values near 1 with small variation are where E[x²]−E[x]² cancels most in float32.
        float[] guide = random(N * C * H * W, 7);
        for (int i = 0; i < guide.length; i++) {
            guide[i] = 0.98f + 0.01f * guide[i];
        }
        float[] input = guide.clone();
        NDArray out = new GuidedFilter(2, 1e-4f).filter(array(guide, C), array(input, C));
        double[] ref = referencePerChannel(guide, C, input, 2, 1e-4f);
        assertRelativeError(ref, out.toFloatArray());
    }

    @Test
    void gradientFlowsToTheInput() {
        NDArray input = manager.create(random(N * C * H * W, 8), new Shape(N, C, H, W));
        input.setRequiresGradient(true);
        try (GradientCollector gc = EngineRuntime.engine().newGradientCollector()) {
            NDArray out = new GuidedFilter(5, 0.2f).filter(input, input);
            gc.backward(out.square().sum());
        }
        float[] grad = input.getGradient().toFloatArray();
        double norm = 0;
        for (float g : grad) {
            assertTrue(Float.isFinite(g), "non-finite gradient");
            norm += g * g;
        }
        assertTrue(norm > 1e-6, "gradient is zero");
    }

    @Test
    void surfaceRepresentationIsTheSelfGuidedFilter() {
        float[] data = random(N * C * H * W, 9);
        NDArray out = new SurfaceRepresentation().apply(array(data, C));
        assertRelativeError(referencePerChannel(data, C, data, 5, 0.2), out.toFloatArray());
    }

    @Test
    void rejectsMismatchedChannels() {
        NDArray guide = manager.zeros(new Shape(1, 2, 4, 4));
        NDArray input = manager.zeros(new Shape(1, 3, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new GuidedFilter(1, 0.1f).filter(guide, input));
    }

    // ---------------------------------------------------------------- float64 reference

    private static double[] referencePerChannel(float[] guide, int gc, float[] input, int r, double eps) {
        double[] out = new double[N * C * H * W];
        double[] a = new double[H * W];
        double[] b = new double[H * W];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                int gOff = (n * gc + (gc == 1 ? 0 : c)) * H * W;
                int pOff = (n * C + c) * H * W;
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        double si = 0;
                        double sp = 0;
                        double sip = 0;
                        double sii = 0;
                        int cnt = 0;
                        for (int yy = Math.max(0, y - r); yy <= Math.min(H - 1, y + r); yy++) {
                            for (int xx = Math.max(0, x - r); xx <= Math.min(W - 1, x + r); xx++) {
                                double iv = guide[gOff + yy * W + xx];
                                double pv = input[pOff + yy * W + xx];
                                si += iv;
                                sp += pv;
                                sip += iv * pv;
                                sii += iv * iv;
                                cnt++;
                            }
                        }
                        double mi = si / cnt;
                        double mp = sp / cnt;
                        double ak = (sip / cnt - mi * mp) / (sii / cnt - mi * mi + eps);
                        a[y * W + x] = ak;
                        b[y * W + x] = mp - ak * mi;
                    }
                }
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        double[] m = windowMean(new double[][] {a, b}, y, x, r);
                        out[pOff + y * W + x] = m[0] * guide[gOff + y * W + x] + m[1];
                    }
                }
            }
        }
        return out;
    }

    private static double[] windowMean(double[][] planes, int y, int x, int r) {
        double[] sums = new double[planes.length];
        int cnt = 0;
        for (int yy = Math.max(0, y - r); yy <= Math.min(H - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(W - 1, x + r); xx++) {
                for (int k = 0; k < planes.length; k++) {
                    sums[k] += planes[k][yy * W + xx];
                }
                cnt++;
            }
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] /= cnt;
        }
        return sums;
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRelativeError(double[] ref, float[] actual) {
        assertEquals(ref.length, actual.length);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - actual[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel < 1e-5, "relative error " + rel + " (max abs diff " + maxDiff + ")");
    }

    private static NDArray array(float[] data, int channels) {
        return manager.create(data, new Shape(N, channels, H, W));
    }

    private static float[] random(int size, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextFloat() * 2f - 1f;
        }
        return v;
    }
}
