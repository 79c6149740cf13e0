package io.github.facetoon.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.facetoon.engine.data.ImageReader;
import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.model.CartoonNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The benchmark's {@code fullres} section: a photo cartoonized at its own resolution (1, 12 and 24 megapixels by
 * default), each phase timed: decoding, faces, the network at its working size, the guided upsampling to full size,
 * encoding; and the network's own time at the working size for the ratio the targets compare.
 *
 * @param options what to measure
 * @param progress receives one line per stage
 * @param device where the networks run
 * @param seed the photos' and the networks' seed
 */
record FullResolutionBench(BenchOptions options, Consumer<String> progress, Device device, long seed) {

    private int[][] fullResSizes() {
        return options.quick() ? new int[][] {{96, 64}, {192, 128}} : new int[][] {{1224, 816}, {4242, 2828}, {6000, 4000}};
    }

    JsonArray run(Path tmp) throws IOException {
        JsonArray all = new JsonArray();
        ImageReader reader = new ImageReader();
        try (Cartoonizer cartoonizer = Cartoonizer.bundled(device);
                io.github.facetoon.engine.perception.LandmarkDetector faces =
                        io.github.facetoon.engine.perception.LandmarkDetector.create();
                NDManager manager = NDManager.newBaseManager(device);
                CartoonNetworks networks = CartoonNetworks.create(manager, seed)) {
            ParameterStore store = new ParameterStore(manager, false);
            double fullMsPerPixel = Double.NaN;
            for (int[] wh : fullResSizes()) {
                int w = wh[0];
                int h = wh[1];
                progress.accept("full-resolution path: " + w + "×" + h);
                Path photo = tmp.resolve("full-" + w + ".jpg");
                Mat small = SyntheticPhotos.photo(Math.max(64, w / 8), new java.util.Random(seed + w));
                Mat big = new Mat();
                org.opencv.imgproc.Imgproc.resize(small, big, new org.opencv.core.Size(w, h), 0, 0,
                        org.opencv.imgproc.Imgproc.INTER_CUBIC);
                org.opencv.imgcodecs.Imgcodecs.imwrite(photo.toString(), big);
                Benchmark.release(small);
                Benchmark.release(big);
                ProcessMemory.Peak peak = new ProcessMemory.Peak();
                ProcessMemory.Sample before = ProcessMemory.settled();
                List<Double> decode = new ArrayList<>();
                List<Double> total = new ArrayList<>();
                List<Double> network = new ArrayList<>();
                int[] working = new int[2];
                for (int i = 0; i < options.warmup() + options.repeats(); i++) {
                    long t0 = System.nanoTime();
                    Mat decoded = reader.read(photo, 0);
                    long t1 = System.nanoTime();
                    peak.sample();
                    try (CartoonPipeline.Made made = CartoonPipeline.run(decoded, 0, 1.0, cartoonizer, faces::detectAll)) {
                        long t2 = System.nanoTime();
                        peak.sample();
                        working[0] = made.workingWidth();
                        working[1] = made.workingHeight();
                        // The network alone on the same working size, right after, under the same load.
                        Mat work = new Mat();
                        org.opencv.imgproc.Imgproc.resize(made.photo(), work,
                                new org.opencv.core.Size(made.workingWidth(), made.workingHeight()));
                        long t3 = System.nanoTime();
                        cartoonizer.fit(work, 1.0);
                        long t4 = System.nanoTime();
                        Benchmark.release(work);
                        if (i >= options.warmup()) {
                            decode.add((t1 - t0) / 1e6);
                            total.add((t2 - t0) / 1e6);
                            network.add((t4 - t3) / 1e6);
                        }
                    } finally {
                        decoded.release();
                    }
                }
                if (Double.isNaN(fullMsPerPixel)) {
                    int side8 = Math.min(1024, (int) Math.sqrt((double) w * h)) / 8 * 8;
                    fullMsPerPixel = Benchmark.networkAlone(options, networks.generator(), store, manager, 1, side8, peak) / ((double) side8 * side8);
                }
                JsonObject o = new JsonObject();
                o.addProperty("width", w);
                o.addProperty("height", h);
                o.addProperty("megapixels", Stats.round(w * (double) h / 1e6, 2));
                o.addProperty("workingWidth", working[0]);
                o.addProperty("workingHeight", working[1]);
                o.addProperty("decodeMs", Stats.round(Stats.median(decode), 1));
                o.addProperty("totalMs", Stats.round(Stats.median(total), 1));
                o.addProperty("networkAtWorkingMs", Stats.round(Stats.median(network), 1));
                o.addProperty("networkAtFullSizeMs", Stats.round(fullMsPerPixel * w * (double) h, 0));
                o.addProperty("networkAtFullSizeScaled", w * (long) h > 1024L * 1024);
                o.addProperty("pathOverNetworkAtWorking", Stats.round(Stats.median(total) / Stats.median(network), 2));
                o.addProperty("peakHeapGrowthBytes", peak.heapBytes() - before.heapBytes());
                o.addProperty("peakRssGrowthBytes", peak.rssBytes() - before.rssBytes());
                all.add(o);
            }
        }
        return all;
    }
}
