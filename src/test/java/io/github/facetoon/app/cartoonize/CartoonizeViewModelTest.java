package io.github.facetoon.app.cartoonize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.engine.ModelChoice;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CartoonizeViewModelTest {

    @TempDir
    Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final CartoonizeViewModel vm = new CartoonizeViewModel(engine, Runnable::run, Runnable::run, notifier,
            I18n.english());

    @Test
    void anAddedPhotoIsCartoonizedAndSelected() throws Exception {
        Path photo = TestImages.png(dir.resolve("face.png"), 32, 24);
        vm.add(List.of(photo));
        PhotoItem item = vm.selectedProperty().get();
        assertEquals(PhotoItem.Status.DONE, item.getStatus());
        assertNotNull(item.getResult());
        assertTrue(vm.selectedDoneProperty().get());
        assertEquals(1.0, vm.batchProgressProperty().get());
    }

    @Test
    void aFolderAddsEveryImageInIt() throws Exception {
        TestImages.png(dir.resolve("in/a.png"), 16, 16);
        TestImages.png(dir.resolve("in/sub/b.png"), 16, 16);
        Files.writeString(dir.resolve("in/notes.txt"), "x");
        vm.add(List.of(dir.resolve("in")));
        assertEquals(2, vm.items().size());
    }

    @Test
    void aBadFileFailsAloneWithAClearMessage() throws Exception {
        Path bad = TestImages.broken(dir.resolve("bad.jpg"));
        Path good = TestImages.png(dir.resolve("good.png"), 16, 16);
        vm.add(List.of(bad, good));
        assertEquals(PhotoItem.Status.FAILED, vm.items().get(0).getStatus());
        assertTrue(vm.items().get(0).getError().contains("bad.jpg"), vm.items().get(0).getError());
        assertEquals(PhotoItem.Status.DONE, vm.items().get(1).getStatus());
        assertEquals(1, notifier.errors.size());
        vm.useModel(new ModelChoice.Classic());
        vm.useSize(720);
        assertEquals(PhotoItem.Status.FAILED, vm.items().get(0).getStatus());
        assertEquals(1, notifier.errors.size(), "reported once per file, not again on every model or size change");
    }

    @Test
    void choosingAnotherModelRedoesThePhotos() throws Exception {
        vm.add(List.of(TestImages.png(dir.resolve("a.png"), 16, 16)));
        vm.useModel(new ModelChoice.Classic());
        assertEquals(2, engine.cartoonized.size());
        assertEquals("classic filter (no model)", vm.items().get(0).getResult().model());
    }

    @Test
    void anotherSizeRedoesThePhotosAtThatSize() throws Exception {
        vm.add(List.of(TestImages.png(dir.resolve("big.png"), 64, 48)));
        assertEquals(48, vm.items().get(0).getResult().cartoon().height(), "under the cap: the photo's own size");
        vm.useSize(24);
        assertEquals(2, engine.cartoonized.size(), "made again");
        assertEquals(24, vm.items().get(0).getResult().cartoon().height());
        assertEquals(24, vm.maxSideProperty().get());
        vm.useSize(24);
        assertEquals(2, engine.cartoonized.size(), "the same size does nothing");
    }

    @Test
    void anotherStrengthRedoesThePhotoOnScreenNowAndTheOthersWhenShownOrSaved() throws Exception {
        vm.add(List.of(TestImages.png(dir.resolve("a.png"), 16, 16), TestImages.png(dir.resolve("b.png"), 16, 16)));
        assertEquals(2, engine.cartoonized.size());
        PhotoItem shown = vm.selectedProperty().get();
        PhotoItem other = vm.items().get(0) == shown ? vm.items().get(1) : vm.items().get(0);
        vm.useStrength(0.6);
        assertEquals(3, engine.cartoonized.size(), "only the photo on screen is made again");
        assertEquals(0.6, shown.getResult().strength(), 1e-9);
        assertEquals(null, other.getResult(), "the other waits until it is shown");
        vm.selectedProperty().set(other);
        assertEquals(4, engine.cartoonized.size());
        assertEquals(0.6, other.getResult().strength(), 1e-9);
        vm.useStrength(0.6);
        assertEquals(4, engine.cartoonized.size(), "the same strength does nothing");
        vm.saveAll(dir.resolve("out"));
        assertTrue(java.nio.file.Files.exists(dir.resolve("out/a_cartoon_s0.60.png")), "the strength is in the name");
    }

    @Test
    void changingTheSizeWhileAPhotoIsBeingMadeCountsItOnceInANewBatch() throws Exception {
        ArrayDeque<Runnable> background = new ArrayDeque<>();
        CartoonizeViewModel slow = new CartoonizeViewModel(engine, background::add, Runnable::run, notifier,
                I18n.english());
        slow.add(List.of(TestImages.png(dir.resolve("a.png"), 64, 48)));
        background.poll().run(); // the look into the added paths; the cartoon's job is now waiting to run
        assertEquals("0 of 1 photos", slow.batchTextProperty().get());
        slow.useSize(24); // while the 48 px cartoon is still being made
        assertEquals("0 of 1 photos", slow.batchTextProperty().get());
        while (!background.isEmpty()) {
            background.poll().run();
        }
        assertEquals("1 of 1 photos", slow.batchTextProperty().get());
        assertEquals(1.0, slow.batchProgressProperty().get());
        PhotoItem item = slow.items().get(0);
        assertEquals(PhotoItem.Status.DONE, item.getStatus());
        assertEquals(24, item.getResult().cartoon().height(), "the photo ends at the new size");
    }

    @Test
    void savingNeverOverwritesTheInputOrAnEarlierSave() throws Exception {
        Path photo = TestImages.png(dir.resolve("face.png"), 16, 16);
        vm.add(List.of(photo));
        vm.saveAll(dir);
        vm.saveAll(dir);
        assertTrue(Files.exists(dir.resolve("face_cartoon.png")));
        assertTrue(Files.exists(dir.resolve("face_cartoon-1.png")));
        assertEquals(2, notifier.infos.size());
    }

    @Test
    void photosOfTheSameNameSaveToNamesOneCanTellApartAndOneCanBeSavedAsJpeg() throws Exception {
        Path png = TestImages.png(dir.resolve("in/cage.png"), 16, 16);
        Path jpg = dir.resolve("in/cage.jpg");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "jpg", jpg.toFile());
        vm.add(List.of(png, jpg));
        vm.saveAll(dir.resolve("out"));
        assertTrue(Files.exists(dir.resolve("out/cage_png_cartoon.png")));
        assertTrue(Files.exists(dir.resolve("out/cage_jpg_cartoon.png")));
        vm.selectedProperty().set(vm.items().get(0));
        assertEquals("cage_cartoon.png", vm.suggestedName());
        Path chosen = dir.resolve("mine/portrait.jpg");
        vm.saveSelectedAs(chosen);
        assertEquals("jpg", javax.imageio.ImageIO.getImageReaders(javax.imageio.ImageIO.createImageInputStream(
                chosen.toFile())).next().getFormatName().toLowerCase(java.util.Locale.ROOT).replace("jpeg", "jpg"));
    }

    @Test
    void theChosenModelIsExportedAsOnnxWithTheFilterAtTheStrengthInUse() {
        vm.exportOnnx(dir.resolve("models/mine.onnx"));
        assertEquals(List.of("bundled default model|mine.onnx|true|1.0"), engine.onnxExports);
        assertTrue(notifier.infos.get(0).contains("mine.onnx") && notifier.infos.get(0).contains("guided filter"),
                notifier.infos.toString());
        assertEquals(dir.resolve("models"), vm.saveFolderProperty().get(), "the next save starts in the same folder");
        vm.modelProperty().set(new io.github.facetoon.engine.ModelChoice.Classic());
        vm.exportOnnx(dir.resolve("classic.onnx"));
        assertTrue(notifier.errors.get(0).startsWith("Could not export the model"), notifier.errors.toString());
        assertFalse(Files.exists(dir.resolve("classic.onnx")));
    }

    @Test
    void manyPhotosKeepOnlyRecentPixelsAndMakeTheRestAgainWhenNeeded() throws Exception {
        vm.setKeepInMemory(2);
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            photos.add(TestImages.png(dir.resolve("in/p" + i + ".png"), 16, 16));
        }
        vm.add(photos);
        PhotoItem second = vm.items().get(1);
        assertEquals(PhotoItem.Status.DONE, second.getStatus());
        assertEquals(null, second.getResult());
        assertEquals(4, engine.cartoonized.size());

        vm.selectedProperty().set(second);
        assertNotNull(second.getResult());
        assertEquals(5, engine.cartoonized.size());

        vm.saveAll(dir.resolve("out"));
        for (int i = 0; i < 4; i++) {
            assertTrue(Files.exists(dir.resolve("out/p" + i + "_cartoon.png")), "p" + i);
        }
    }

    @Test
    void aModelFileThatIsNoModelIsRefusedWhenChosenAndTheCurrentModelStays() throws Exception {
        vm.add(List.of(TestImages.png(dir.resolve("a.png"), 16, 16)));
        ModelChoice before = vm.modelProperty().get();
        Path bad = java.nio.file.Files.writeString(dir.resolve("notes.ftc"), "not a model");
        vm.useModelFile(bad);
        assertEquals(before, vm.modelProperty().get());
        assertTrue(notifier.errors.stream().anyMatch(e -> e.contains("notes.ftc")), notifier.errors.toString());
        assertEquals(PhotoItem.Status.DONE, vm.items().get(0).getStatus(), "the photos keep their cartoons");
        Path good = java.nio.file.Files.writeString(dir.resolve("model.ftc"), "FAKEMODEL");
        vm.useModelFile(good);
        assertEquals(new ModelChoice.Checkpoint(good), vm.modelProperty().get());
    }

    @Test
    void aPhotoThatFailsWithAnotherModelShowsNoCartoonOfTheOldOne() throws Exception {
        vm.add(List.of(TestImages.png(dir.resolve("a.png"), 16, 16)));
        assertTrue(vm.items().get(0).getResult() != null);
        vm.useModel(new ModelChoice.Checkpoint(dir.resolve("fails.ftc")));
        assertEquals(PhotoItem.Status.FAILED, vm.items().get(0).getStatus());
        assertEquals(null, vm.items().get(0).getResult(), "no stale cartoon under the error");
    }
}
