package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A faithfulness check of the MobileNetV1 port that needs no reference implementation: on natural photos, the
 * per-channel mean and spread of each depthwise convolution's output (before its batch norm) should follow the
 * moving mean and variance stored with the weights, which TensorFlow accumulated on its training images. A
 * control run with the input channels rolled by one (what a filter-layout slip does) shows the check can fail. Needs real photos: {@code -Dfacetoon.photos=DIR}.
 */
@Tag("slow")
class MobileNetBatchNormStatisticsTest {

    @Test
    void depthwiseOutputsFollowTheStoredBatchNormStatistics() throws IOException {
        String dir = System.getProperty("facetoon.photos");
        Assumptions.assumeTrue(dir != null, "set -Dfacetoon.photos=DIR to run");
        EngineRuntime.ensureConfigured();
        TfjsWeights w = TfjsWeights.fromResource(MobileNetFeatureNetwork.RESOURCE_FOLDER,
                MobileNetFeatureNetwork.MANIFEST);
        int size = 256;
        StringBuilder report = new StringBuilder(
                "layer | corr(mean, moving_mean) | corr(std, sqrt(moving_variance)) | control: channels rolled by one\n");
        double worst = 1;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray photos = photos(m, Paths.get(dir), size);
            for (int layer = 1; layer <= 13; layer++) {
                NDArray input;
                if (layer == 1) {
                    input = photos;
                } else {
                    try (MobileNetFeatureNetwork upTo = MobileNetFeatureNetwork.builder().optLayer(layer - 1)
                            .optPreActivation(false).optAntiAlias(false).build()) {
                        input = upTo.features(photos);
                        input.attach(m);
                    }
                }
                NDArray raw;
                NDArray control;
                try (MobileNetFeatureNetwork net = MobileNetFeatureNetwork.builder().optLayer(layer).optAntiAlias(false).build()) {
                    NDList weights = net.weights();
                    NDArray x = layer == 1 ? firstConv(weights, input) : input;
                    // weights: conv0 w,b, then per layer dw w, dw b, pw w, pw b: layer L's depthwise at 2 + 4(L-1)
                    NDArray kernel = weights.get(2 + 4 * (layer - 1));
                    long c = kernel.getShape().get(0);
                    int stride = layer == 2 || layer == 4 || layer == 6 || layer == 12 ? 2 : 1;
                    // the depthwise output before batch norm: undo the folded scale s = gamma / sqrt(var + eps)
                    NDArray scale = scale(m, w, layer);
                    raw = TfConvolutions.convSame(x, kernel.div(scale.reshape(c, 1, 1, 1)), null, stride, (int) c);
                    raw.attach(m);
                    // control: the same with input channels rolled by one, as a filter-layout slip would do
                    control = TfConvolutions.convSame(x.concat(x, 1).get(":, 1:" + (c + 1)),
                            kernel.div(scale.reshape(c, 1, 1, 1)), null, stride, (int) c);
                    control.attach(m);
                }
                String p = "MobilenetV1/Conv2d_" + layer + "_depthwise/BatchNorm/";
                float[] movingMean = w.tensor(p + "moving_mean").values();
                float[] movingStd = w.tensor(p + "moving_variance").values().clone();
                for (int i = 0; i < movingStd.length; i++) {
                    movingStd[i] = (float) Math.sqrt(movingStd[i]);
                }
                float[][] stats = channelStats(raw);
                float[][] controlStats = channelStats(control);
                double cm = correlation(stats[0], movingMean);
                double cs = correlation(stats[1], movingStd);
                double controlMean = correlation(controlStats[0], movingMean);
                worst = Math.min(worst, cm - Math.max(controlMean, 0.75));
                report.append(String.format(Locale.ROOT, "%d | %.3f | %.3f | %.3f%n", layer, cm, cs, controlMean));
            }
        }
        System.out.println(report);
        Files.createDirectories(Paths.get("target"));
        Files.writeString(Paths.get("target", "mobilenet-bn-statistics.md"), report.toString());
        // every layer: the mean agreement beats both the control and 0.75
        assertTrue(worst > 0, report.toString());
    }

    /** Per-channel mean and standard deviation over batch and space: (N,C,h,w) -> 2 x (C). */
    private static float[][] channelStats(NDArray x) {
        NDArray perChannel = x.transpose(1, 0, 2, 3).reshape(x.getShape().get(1), -1);
        NDArray mean = perChannel.mean(new int[] {1}, true);
        return new float[][] {mean.toFloatArray(), perChannel.sub(mean).pow(2).mean(new int[] {1}).sqrt().toFloatArray()};
    }

    private static NDArray scale(NDManager m, TfjsWeights w, int layer) {
        String p = "MobilenetV1/Conv2d_" + layer + "_depthwise/BatchNorm/";
        float[] gamma = w.tensor(p + "gamma").values();
        float[] variance = w.tensor(p + "moving_variance").values();
        float[] s = new float[gamma.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (gamma[i] / Math.sqrt(variance[i] + 0.0010000000474974513));
        }
        return m.create(s);
    }

    private static NDArray firstConv(NDList weights, NDArray photos) {
        return TfConvolutions.convSame(photos, weights.get(0), weights.get(1), 2, 1).clip(0f, 6f);
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static NDArray photos(NDManager m, Path dir, int size) throws IOException {
        OpenCvRuntime.ensureLoaded();
        List<float[]> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                    .sorted().toList()) {
                Mat img = Imgcodecs.imread(f.toString());
                if (img.empty()) {
                    continue;
                }
                int side = Math.min(img.rows(), img.cols());
                Mat crop = new Mat(img, new Rect((img.cols() - side) / 2, (img.rows() - side) / 2, side, side));
                Mat small = new Mat();
                Imgproc.resize(crop, small, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
                all.add(ImageTensors.bgrToChw(small));
                img.release();
                small.release();
            }
        }
        float[] flat = new float[all.size() * 3 * size * size];
        for (int i = 0; i < all.size(); i++) {
            System.arraycopy(all.get(i), 0, flat, i * 3 * size * size, 3 * size * size);
        }
        return m.create(flat, new Shape(all.size(), 3, size, size));
    }
}
