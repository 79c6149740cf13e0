package io.github.facetoon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.model.CartoonNetworks.Network;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CartoonNetworksTest {

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

    private NDArray run(Block block, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    /** Outputs of the three networks, in inference mode, on fixed inputs. */
    private List<float[]> outputs(CartoonNetworks networks) {
        NDManager inputs = manager.newSubManager();
        try (inputs) {
            // Host-generated inputs: independent of the engine's global random state.
            NDArray photo = inputs.create(pattern(2 * 3 * 16 * 16), new Shape(2, 3, 16, 16));
            NDArray grey = inputs.create(pattern(2 * 16 * 16), new Shape(2, 1, 16, 16));
            return List.of(run(networks.generator(), photo, false).toFloatArray(),
                    run(networks.surfaceDiscriminator(), photo, false).toFloatArray(),
                    run(networks.textureDiscriminator(), grey, false).toFloatArray());
        }
    }

    private static float[] pattern(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) Math.sin(0.37 * i);
        }
        return values;
    }

    private static void assertSameParameters(CartoonNetworks a, CartoonNetworks b) {
        for (Network network : Network.values()) {
            var left = a.block(network).getParameters();
            var right = b.block(network).getParameters();
            assertEquals(left.size(), right.size());
            for (int i = 0; i < left.size(); i++) {
                assertArrayEquals(left.valueAt(i).getArray().toFloatArray(), right.valueAt(i).getArray().toFloatArray(),
                        0f, network.id() + " " + left.keyAt(i));
            }
        }
    }

    private static void assertSameOutputs(List<float[]> expected, List<float[]> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0f, "network " + i);
        }
    }

    @Test
    void countsTheTrainableParametersOfEachNetwork() {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 1)) {
            assertEquals(1_467_075L, networks.trainableParameters(Network.GENERATOR));
            assertEquals(287_137L, networks.trainableParameters(Network.SURFACE_DISCRIMINATOR));
            assertEquals(286_561L, networks.trainableParameters(Network.TEXTURE_DISCRIMINATOR));
        }
    }

    @Test
    void theSameSeedGivesIdenticalWeightsAndOutputs() {
        try (CartoonNetworks first = CartoonNetworks.create(manager, 42);
                CartoonNetworks second = CartoonNetworks.create(manager, 42);
                CartoonNetworks other = CartoonNetworks.create(manager, 43)) {
            // Disturb the engine's global generator between the two: the initialisation must not depend on it.
            EngineRuntime.engine().setRandomSeed(99);
            assertSameParameters(first, second);
            assertSameOutputs(outputs(first), outputs(second));
            assertFalse(Arrays.equals(outputs(first).get(0), outputs(other).get(0)), "another seed, other weights");
        }
    }

    @Test
    void saveThenLoadIntoFreshNetworksReproducesWeightsAndOutputs() throws Exception {
        try (CartoonNetworks trained = CartoonNetworks.create(manager, 1);
                CartoonNetworks fresh = CartoonNetworks.create(manager, 2)) {
            // Move the power-iteration vectors away from their initial values, as training would.
            NDArray photo = manager.randomUniform(-1, 1, new Shape(1, 3, 16, 16));
            for (int i = 0; i < 3; i++) {
                run(trained.surfaceDiscriminator(), photo, true);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveAll(new DataOutputStream(bytes));
            NDArray uBefore = fresh.surfaceDiscriminator().getParameters().valueAt(2).getArray();

            fresh.loadAll(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

            assertSame(uBefore, fresh.surfaceDiscriminator().getParameters().valueAt(2).getArray(),
                    "loading keeps the parameter arrays, so a trainer's parameter store stays valid");
            churnNativeMemory();
            assertSameParameters(trained, fresh);
            assertSameOutputs(outputs(trained), outputs(fresh));
        }
    }

    /**
     * Lets the garbage collector free unreachable direct buffers and reuses their memory: a loaded tensor that
     * still pointed into a decoded (and dropped) Java buffer would then read junk.
     */
    private static void churnNativeMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<java.nio.ByteBuffer> junk = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 16);
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 0x7f);
                }
                junk.add(buffer);
            }
            junk.clear();
        }
    }

    @Test
    void loadedParametersStillTrain() throws Exception {
        try (CartoonNetworks source = CartoonNetworks.create(manager, 5);
                CartoonNetworks target = CartoonNetworks.create(manager, 6)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            source.save(Network.GENERATOR, new DataOutputStream(bytes));
            target.load(Network.GENERATOR, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray photo = manager.randomUniform(-1, 1, new Shape(1, 3, 8, 8));
            try (GradientCollector collector = EngineRuntime.engine().newGradientCollector()) {
                collector.backward(run(target.generator(), photo, true).sum());
            }
            for (Parameter parameter : target.generator().getParameters().values()) {
                assertTrue(parameter.getArray().getGradient().abs().sum().getFloat() > 0, parameter.getName());
            }
        }
    }

    @Test
    void forwardAndBackwardLeaveNoArraysInTheNetworksManager() {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 8)) {
            int before = networks.manager().getManagedArrays().size();
            try (NDManager batch = manager.newSubManager()) {
                NDArray photo = batch.randomUniform(-1, 1, new Shape(1, 3, 16, 16));
                try (GradientCollector collector = EngineRuntime.engine().newGradientCollector()) {
                    NDArray fake = run(networks.generator(), photo, true);
                    NDArray logits = run(networks.surfaceDiscriminator(), fake, true);
                    collector.backward(logits.square().mean());
                }
                run(networks.textureDiscriminator(), batch.zeros(new Shape(1, 1, 16, 16)), false);
            }
            assertEquals(before, networks.manager().getManagedArrays().size());
        }
    }

    @Test
    void aDjlTrainerStepUpdatesTheKernelsButLeavesUToThePowerIteration() {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 9);
                Model model = Model.newInstance("surface-d", Device.cpu(), "PyTorch")) {
            PatchDiscriminatorBlock discriminator = networks.surfaceDiscriminator();
            model.setBlock(discriminator);
            Parameter weight = discriminator.getParameters().valueAt(0);
            Parameter u = discriminator.getParameters().valueAt(2);
            float[] weightBefore = weight.getArray().toFloatArray();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().build()))) {
                NDArray photo = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(photo)).singletonOrThrow();
                    collector.backward(logits.sub(1f).square().mean());
                }
                float[] uAfterForward = u.getArray().toFloatArray();
                trainer.step();
                assertFalse(Arrays.equals(weightBefore, weight.getArray().toFloatArray()), "Adam moved the kernel");
                assertArrayEquals(uAfterForward, u.getArray().toFloatArray(), 0f, "the optimizer leaves u alone");
            }
        }
    }

    @Test
    void loadingAnotherNetworkFailsClearlyAndChangesNothing() throws Exception {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 3)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            networks.save(Network.GENERATOR, new DataOutputStream(bytes));
            float[] before = outputs(networks).get(1);
            MalformedModelException error = assertThrows(MalformedModelException.class,
                    () -> networks.load(Network.SURFACE_DISCRIMINATOR,
                            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(error.getMessage().contains("generator"), error.getMessage());
            assertArrayEquals(before, outputs(networks).get(1), 0f);
        }
    }

    @Test
    void aTruncatedStreamFailsWithEndOfFile() throws Exception {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 4)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            networks.save(Network.TEXTURE_DISCRIMINATOR, new DataOutputStream(bytes));
            byte[] half = Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
            EOFException error = assertThrows(EOFException.class, () -> networks.load(Network.TEXTURE_DISCRIMINATOR,
                    new DataInputStream(new ByteArrayInputStream(half))));
            assertTrue(error.getMessage().contains("truncated"), error.getMessage());
        }
    }

    @Test
    void aDamagedPayloadFailsAsMalformed() throws IOException {
        try (CartoonNetworks networks = CartoonNetworks.create(manager, 4)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            networks.save(Network.TEXTURE_DISCRIMINATOR, new DataOutputStream(bytes));
            byte[] damaged = bytes.toByteArray();
            // Inside the payload, just after the header: the DJL block version byte and shape metadata.
            int payloadStart = 2 + CartoonNetworks.FORMAT_TAG.length() + 4 + 2 + Network.TEXTURE_DISCRIMINATOR.id()
                    .length() + 8 + 4;
            for (int i = payloadStart; i < payloadStart + 64; i++) {
                damaged[i] = (byte) 0x5A;
            }
            assertThrows(MalformedModelException.class, () -> networks.load(Network.TEXTURE_DISCRIMINATOR,
                    new DataInputStream(new ByteArrayInputStream(damaged))));
        }
    }
}
