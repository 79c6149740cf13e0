package io.github.facetoon.engine.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.EngineRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CartoonObjectiveTest {

    @BeforeAll
    static void engine() {
        EngineRuntime.ensureConfigured();
    }

    @Test
    void theTotalIsTheWeightedSumAndAZeroWeightTermIsNeverComputed() {
        LossWeights w = new LossWeights(1e4, 0.5, 2, 0, 300, 10);
        List<LossTerm> computed = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CartoonObjective objective = new CartoonObjective(w, m);
            double expected = 0;
            for (LossTerm t : LossTerm.values()) {
                float value = 0.1f * (t.ordinal() + 1);
                objective.add(t, () -> {
                    computed.add(t);
                    return m.create(value);
                });
                expected += w.get(t) * value;
            }
            assertEquals(expected, objective.total().getFloat(), 1e-6 * expected);
            assertFalse(computed.contains(LossTerm.CONTENT), "a term at weight 0 costs nothing");
            assertFalse(objective.uses(LossTerm.CONTENT));
            assertTrue(objective.uses(LossTerm.STRUCTURE));
            assertEquals(List.of(LossTerm.TV, LossTerm.SURFACE, LossTerm.TEXTURE, LossTerm.STRUCTURE,
                    LossTerm.LANDMARK), List.copyOf(objective.terms().keySet()));
            assertEquals(0.5f, objective.terms().get(LossTerm.STRUCTURE).getFloat(), 1e-7, "terms are kept unweighted");
        }
    }

    @Test
    void termsHaveTheirFlagsAndDefaultsInOnePlace() {
        assertEquals("--w0", LossTerm.TV.flag());
        assertEquals("--w5", LossTerm.LANDMARK.flag());
        for (LossTerm t : LossTerm.values()) {
            assertEquals(LossWeights.defaults().get(t), t.defaultWeight(), t.key());
            assertTrue(t.sliderMin() < t.defaultWeight() && t.defaultWeight() < t.sliderMax(), t.key());
        }
    }
}
