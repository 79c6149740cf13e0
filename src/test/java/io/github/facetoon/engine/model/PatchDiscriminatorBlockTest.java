package io.github.facetoon.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchDiscriminatorBlockTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        EngineRuntime.ensureConfigured();
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({"3,287137", "1,286561"})
    void hasThePinnedTrainableParameterCount(int channels, long expected) {
        PatchDiscriminatorBlock discriminator = new PatchDiscriminatorBlock(channels);
        discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 16, 16));
        assertEquals(expected, CartoonNetworks.countTrainableParameters(discriminator));
    }

    @ParameterizedTest
    @CsvSource({"3,2,32,48", "1,1,16,16", "3,1,64,64"})
    void outputsOneLogitPerPatchAtAnEighthOfTheSize(int channels, int batch, int height, int width) {
        PatchDiscriminatorBlock discriminator = new PatchDiscriminatorBlock(channels);
        Shape input = new Shape(batch, channels, height, width);
        NDArray logits = discriminator.forward(new ParameterStore(manager, false),
                new NDList(manager.randomUniform(-1, 1, input)), true).singletonOrThrow();
        assertEquals(new Shape(batch, 1, height / 8, width / 8), logits.getShape());
        assertEquals(logits.getShape(), discriminator.getOutputShapes(new Shape[] {input})[0]);
    }

    @Test
    void rejectsTheWrongChannelCount() {
        PatchDiscriminatorBlock texture = new PatchDiscriminatorBlock(1);
        Shape[] rgb = {new Shape(1, 3, 16, 16)};
        assertThrows(IllegalArgumentException.class, () -> texture.getOutputShapes(rgb));
    }
}
