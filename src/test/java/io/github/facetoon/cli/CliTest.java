package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FaceToonCli.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSeedsCommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"pretrain", "train", "test", "cartoonize", "landmarks", "export", "bench"}) {
            assertTrue(r.out().contains(c), c);
        }
        Result t = run("train", "--help");
        for (String f : new String[] {"--photos", "--cartoons", "--total_iter", "--model_version", "--w0", "--w5", "--init",
            "--resume", "--batch_size", "--image_size", "--device", "--workspace", "--save_every", "--seed"}) {
            assertTrue(t.out().contains(f), f);
        }
    }

    @Test
    void badFlagsExitWithTwoAndWriteNothing() {
        Path ws = dir.resolve("ws");
        Result unknown = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--bogus"), unknown.err());
        Result typo = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--total_iters", "3");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Did you mean: --total_iter?"), typo.err());
        Result noFolder = run("train", "--photos", dir.resolve("nope").toString(), "--cartoons", dir.toString(),
                "--workspace", ws.toString());
        assertEquals(2, noFolder.code(), noFolder.out() + noFolder.err());
        assertTrue(noFolder.err().startsWith("error: --photos: ") && noFolder.err().contains("folder not found"),
                noFolder.err());
        assertFalse(noFolder.err().contains("\tat ") || noFolder.out().contains("\tat "), "no stack trace");
        Result noInit = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--init",
                dir.resolve("missing.ftc").toString(), "--workspace", ws.toString());
        assertEquals(2, noInit.code());
        assertTrue(noInit.err().contains("--init"), noInit.err());
        Result badThreads = run("cartoonize", dir.toString(), "--out", dir.resolve("o").toString(), "--threads", "-1");
        assertEquals(2, badThreads.code());
        assertTrue(badThreads.err().contains("--threads"), badThreads.err());
        Result missing = run("train", "--photos", dir.toString(), "--workspace", ws.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--cartoons"), missing.err());
        Result badSize = run("pretrain", "--photos", dir.toString(), "--image_size", "100", "--workspace", ws.toString());
        assertEquals(2, badSize.code());
        assertTrue(badSize.err().contains("multiple of 8"), badSize.err());
        Result badWeight = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--w3", "-1",
                "--workspace", ws.toString());
        assertEquals(2, badWeight.code());
        assertTrue(badWeight.err().contains("w3"), badWeight.err());
        Result noCkpt = run("test", "--model_version", "none", "--batch", "5", "--workspace", ws.toString());
        assertEquals(2, noCkpt.code());
        assertTrue(noCkpt.err().contains("no checkpoint"), noCkpt.err());
        Result dpCpu = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--data_parallel",
                "--device", "cpu", "--workspace", ws.toString());
        assertEquals(2, dpCpu.code());
        assertTrue(dpCpu.err().contains("--data_parallel"), dpCpu.err());
        Result badList = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--device", "gpu:0,x",
                "--workspace", ws.toString());
        assertEquals(2, badList.code());
        assertTrue(badList.err().contains("gpu:0,x"), badList.err());
        if (io.github.facetoon.engine.EngineRuntime.engine().getGpuCount() == 0) {
            Result dpNoGpu = run("train", "--photos", dir.toString(), "--cartoons", dir.toString(), "--data_parallel",
                    "--workspace", ws.toString());
            assertEquals(2, dpNoGpu.code());
            assertTrue(dpNoGpu.err().contains("needs GPUs"), dpNoGpu.err());
        }
        assertFalse(Files.exists(ws.resolve("runs")), "nothing written for bad flags");
    }

    @Test
    void pretrainTrainTestAndCartoonizeWithTheSeedsFlags() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 48, 3);
        Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("cartoons"), 4, 48, 4);
        String ws = dir.resolve("ws").toString();
        String[] common = {"--batch_size", "2", "--image_size", "32", "--device", "cpu", "--workspace", ws, "--save_every", "2"};
        Result pre = run(concat(new String[] {"pretrain", "--photos", photos.toString(), "--total_iter", "2"}, common));
        assertEquals(0, pre.code(), pre.out() + pre.err());
        Path preCkpt = dir.resolve("ws/runs/pre/iter-00000002.ftc");
        assertTrue(Files.exists(preCkpt));
        Result train = run(concat(new String[] {"train", "--photos", photos.toString(), "--cartoons", cartoons.toString(),
            "--total_iter", "2", "--model_version", "7", "--w0", "1e5", "--w1", "2e-1", "--w2", "5", "--w3", "2e1",
            "--w4", "6e-1", "--w5", "3", "--init", preCkpt.toString()}, common));
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("iter 2/2"), train.out());
        // The same run name again without --resume: refused before anything is written, with a free name to use.
        Map<Path, byte[]> before = filesOf(dir.resolve("ws/runs/7"));
        Result again = run(concat(new String[] {"train", "--photos", photos.toString(), "--cartoons", cartoons.toString(),
            "--total_iter", "2", "--model_version", "7", "--init", preCkpt.toString()}, common));
        assertEquals(2, again.code(), again.out() + again.err());
        assertTrue(again.err().contains("--resume") && again.err().contains("--model_version 7-2"), again.err());
        assertEquals(1, again.err().lines().filter(l -> l.startsWith("error: ")).count(), again.err());
        Map<Path, byte[]> after = filesOf(dir.resolve("ws/runs/7"));
        assertEquals(before.keySet(), after.keySet(), "no file of the old run added or removed");
        before.forEach((p, b) -> assertArrayEquals(b, after.get(p), "unchanged: " + p));

        // Without --init the generator starts from the newest pretraining, and says so.
        Result defaulted = run(concat(new String[] {"train", "--photos", photos.toString(), "--cartoons",
            cartoons.toString(), "--total_iter", "1", "--model_version", "from-pre"}, common));
        assertEquals(0, defaulted.code(), defaulted.out() + defaulted.err());
        assertTrue(defaulted.out().contains("starts from the newest pretraining, run 'pre' at iteration 2"), defaulted.out());

        Result test = run("test", "--model_version", "7", "--batch", "2", "--photos", photos.toString(), "--image_size", "32",
                "--device", "cpu", "--workspace", ws);
        assertEquals(0, test.code(), test.out() + test.err());
        assertTrue(test.out().contains("Test loss (L1) = "), test.out());
        assertTrue(test.out().contains("Landmark NME = "), test.out());
        try (Stream<Path> s = Files.list(dir.resolve("ws/runs/7"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("test-7-2")));
        }

        Path out = dir.resolve("out");
        Files.writeString(photos.resolve("broken.jpg"), "not an image");
        Result cz = run("cartoonize", photos.toString(), "--out", out.toString(), "--device", "cpu", "--workspace", ws);
        assertEquals(0, cz.code(), cz.out() + cz.err());
        assertTrue(cz.out().contains("model: bundled default model"), "the bundled model is the default, as in the studio: "
                + cz.out());
        assertTrue(cz.err().contains("broken.jpg"), cz.err());
        assertTrue(cz.out().contains("4 cartoonized, 1 skipped"), cz.out());
        assertTrue(Files.exists(out.resolve("photo_0_cartoon.png")));
        assertEquals("not an image", Files.readString(photos.resolve("broken.jpg")), "inputs untouched");

        // export: the generator alone, without the training machine's folders, makes the same cartoons
        Path trained = dir.resolve("ws/runs/7/iter-00000002.ftc");
        Path model = dir.resolve("model.ftc");
        Result ex = run("export", trained.toString(), "--out", model.toString(), "--name", "test model");
        assertEquals(0, ex.code(), ex.out() + ex.err());
        // The generator and its base generator (the pretraining it started from), no discriminators or optimiser state.
        assertTrue(Files.size(model) * 2 < Files.size(trained), "no discriminators or optimiser state");
        assertTrue(ex.out().contains("with its base generator"), ex.out());
        var header = io.github.facetoon.engine.train.CheckpointFile.read(model).header();
        assertEquals("generator", header.get("kind").getAsString());
        assertEquals("test model", header.get("name").getAsString());
        assertEquals("photos", header.getAsJsonObject("config").get("photos").getAsString());
        assertFalse(header.toString().contains(dir.toString()), "no machine paths: " + header);
        Path out2 = dir.resolve("out2");
        Result cz2 = run("cartoonize", photos.resolve("photo_0.png").toString(), "--out", out2.toString(), "--model",
                model.toString(), "--device", "cpu", "--workspace", ws);
        assertEquals(0, cz2.code(), cz2.out() + cz2.err());
        assertTrue(cz2.out().contains("model: test model (model.ftc)"), "says which model: " + cz2.out());
        Path out3 = dir.resolve("out3");
        Result cz3 = run("cartoonize", photos.resolve("photo_0.png").toString(), "--out", out3.toString(), "--model",
                trained.toString(), "--device", "cpu", "--workspace", ws);
        assertEquals(0, cz3.code(), cz3.out() + cz3.err());
        assertTrue(cz3.out().contains("model: run '7' at iteration 2 (iter-00000002.ftc)"), "run and iteration: " + cz3.out());
        assertArrayEquals(Files.readAllBytes(out3.resolve("photo_0_cartoon.png")),
                Files.readAllBytes(out2.resolve("photo_0_cartoon.png")), "same generator, same cartoon");
        Result resume = run(concat(new String[] {"train", "--photos", photos.toString(), "--cartoons", cartoons.toString(),
            "--total_iter", "3", "--model_version", "8", "--init", model.toString()}, common));
        assertEquals(0, resume.code(), "a model is a valid --init: " + resume.out() + resume.err());

        Path damaged = dir.resolve("damaged.ftc");
        Files.write(damaged, java.util.Arrays.copyOf(Files.readAllBytes(trained), 1000));
        Result bad = run("export", damaged.toString(), "--out", dir.resolve("bad.ftc").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("damaged.ftc"), bad.err());
        assertFalse(Files.exists(dir.resolve("bad.ftc")));
        Result same = run("export", trained.toString(), "--out", trained.toString());
        assertEquals(1, same.code(), same.err());
        assertTrue(Files.exists(trained));
    }

    @Test
    void exportWritesAModelAsOnnxAndSaysWhatItCannotExport() throws Exception {
        Path onnx = dir.resolve("onnx/bundled.onnx");
        Result ok = run("export", "bundled", "--format", "onnx", "--with-filter", "--strength", "0.5", "--out", onnx.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("ONNX, opset 17") && ok.out().contains("with the guided filter")
                && ok.out().contains("strength 0.50"), ok.out());
        assertTrue(Files.size(onnx) > 5_000_000, "the generator's 1.47 M weights are in the file");
        Result classic = run("export", "classic", "--format", "onnx", "--out", dir.resolve("c.onnx").toString());
        assertEquals(2, classic.code(), classic.err());
        assertTrue(classic.err().contains("classic filter") && classic.err().lines().count() == 1, classic.err());
        Result format = run("export", "bundled", "--format", "zip", "--out", dir.resolve("z.onnx").toString());
        assertEquals(2, format.code());
        assertTrue(format.err().contains("--format must be ftc or onnx"), format.err());
        Path damaged = dir.resolve("damaged.ftc");
        Files.write(damaged, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Result bad = run("export", damaged.toString(), "--format", "onnx", "--out", dir.resolve("bad.onnx").toString());
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("damaged.ftc"), bad.err());
        assertFalse(Files.exists(dir.resolve("bad.onnx")), "no file for a damaged checkpoint");
        assertFalse(Files.exists(dir.resolve("c.onnx")) || Files.exists(dir.resolve("z.onnx")));
    }

    @Test
    void cartoonizeTurnsAVideoIntoACartoonVideoBesideThePhotos() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        org.opencv.core.Mat card = io.github.facetoon.engine.video.TestClips.card(64, 48);
        io.github.facetoon.engine.video.TestClips.write(in.resolve("clip.webm"), card, 5, 10, null);
        card.release();
        Files.writeString(in.resolve("broken.mp4"), "not a video");
        SyntheticPhotos.writePhotos(in, 1, 40, 5);
        Result r = run("cartoonize", in.toString(), "--out", dir.resolve("o").toString(), "--model", "classic",
                "--device", "cpu", "--workspace", dir.resolve("ws").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(dir.resolve("o/clip_cartoon.webm")), r.out());
        assertTrue(Files.exists(dir.resolve("o/photo_0_cartoon.png")), r.out());
        assertTrue(r.out().contains("5 frames, 64x48"), r.out());
        assertTrue(r.out().contains("2 cartoonized, 1 skipped"), r.out());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("skipped broken.mp4") && l.contains("not a video")), r.err());
        assertFalse(Files.exists(dir.resolve("o/broken_cartoon.mp4")));
        Result again = run("cartoonize", in.resolve("clip.webm").toString(), "--out", dir.resolve("o").toString(),
                "--model", "classic", "--device", "cpu", "--workspace", dir.resolve("ws").toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(Files.exists(dir.resolve("o/clip_cartoon-1.webm")), "a second run never writes over the first: "
                + again.out());
    }

    @Test
    void cartoonizeWithTheClassicFilterNeedsNoModel() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 1, 40, 5);
        Result r = run("cartoonize", photos.resolve("photo_0.png").toString(), "--out", dir.resolve("o").toString(),
                "--model", "classic", "--device", "cpu", "--workspace", dir.resolve("ws").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(dir.resolve("o/photo_0_cartoon.png")));
        Result jpeg = run("cartoonize", photos.resolve("photo_0.png").toString(), "--out", dir.resolve("o").toString(),
                "--model", "classic", "--device", "cpu", "--workspace", dir.resolve("ws").toString(), "--format", "jpeg");
        assertEquals(0, jpeg.code(), jpeg.out() + jpeg.err());
        assertTrue(Files.exists(dir.resolve("o/photo_0_cartoon.jpg")), "--format jpeg writes a .jpg");
        Result bad = run("cartoonize", photos.toString(), "--out", dir.resolve("o").toString(), "--format", "gif");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--format"), bad.err());
    }

    @Test
    void cartoonsHaveThePhotosOwnSizeUnlessASizeIsGiven() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 1, 300, 6);
        String photo = photos.resolve("photo_0.png").toString();
        Result full = run("cartoonize", photo, "--out", dir.resolve("full").toString(), "--model", "classic",
                "--device", "cpu", "--workspace", dir.resolve("ws").toString());
        assertEquals(0, full.code(), full.out() + full.err());
        assertTrue(full.out().contains("(300x300, worked at "), full.out());
        Result small = run("cartoonize", photo, "--out", dir.resolve("small").toString(), "--model", "classic",
                "--size", "120", "--strength", "0.5", "--device", "cpu", "--workspace", dir.resolve("ws").toString());
        assertEquals(0, small.code(), small.out() + small.err());
        assertTrue(small.out().contains("(120x120, "), small.out());
        assertTrue(Files.exists(dir.resolve("small/photo_0_cartoon_s0.50.png")), "the strength is in the name");
        assertTrue(small.out().contains("note: the strength blends"), small.out());
    }

    @Test
    void aBadSizeOrStrengthIsAUsageError() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 1, 40, 7);
        String photo = photos.resolve("photo_0.png").toString();
        Result size = run("cartoonize", photo, "--out", dir.resolve("o").toString(), "--size", "huge");
        assertEquals(2, size.code());
        assertTrue(size.err().contains("original, 4k, 1080p, 720p"), size.err());
        Result strength = run("cartoonize", photo, "--out", dir.resolve("o").toString(), "--strength", "3");
        assertEquals(2, strength.code());
        assertTrue(strength.err().contains("--strength must be between 0 and 2"), strength.err());
        assertFalse(Files.exists(dir.resolve("o")), "nothing written");
    }

    @Test
    void evaluatePrintsTheFiguresOfEveryPhotoAndTheirMedians() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 2, 64, 8);
        Result r = run("evaluate", photos.toString(), "--model", "classic", "--json", "--device", "cpu",
                "--sheet", dir.resolve("sheet.png").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        var report = com.google.gson.JsonParser.parseString(r.out().substring(0, r.out().lastIndexOf('}') + 1))
                .getAsJsonObject();
        assertEquals(2, report.getAsJsonArray("rows").size());
        assertTrue(report.toString().contains("madWithoutCast"), r.out());
        assertTrue(Files.exists(dir.resolve("sheet.png")));
        java.awt.image.BufferedImage sheet = javax.imageio.ImageIO.read(dir.resolve("sheet.png").toFile());
        assertEquals(2 * 192, sheet.getHeight(), "one row of 192 px per photo");
        assertEquals(2 * 192, sheet.getWidth(), "photo | classic filter, square photos");
        Result bad = run("evaluate", photos.toString(), "--model", "nowhere.ftc");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no such checkpoint file"), bad.err());
        Result missing = run("evaluate", dir.resolve("nothing-here").toString());
        assertEquals(2, missing.code());
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static Map<Path, byte[]> filesOf(Path folder) throws IOException {
        Map<Path, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
