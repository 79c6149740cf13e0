package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.train.CollapseGuard.Verdict;
import org.junit.jupiter.api.Test;

class CollapseGuardTest {

    @Test
    void aBlowUpRollsBackAtOnceAndTheRunGivesUpAfterTheLastRollBack() {
        CollapseGuard guard = new CollapseGuard(true);
        for (int i = 0; i < CollapseGuard.MAX_ROLLBACKS; i++) {
            assertEquals(Verdict.GO_ON, guard.afterStep(false, false, true));
            assertEquals(Verdict.ROLL_BACK, guard.afterStep(true, false, true));
            guard.rolledBack();
        }
        assertEquals(CollapseGuard.MAX_ROLLBACKS, guard.rollbacks());
        assertEquals(Verdict.GIVE_UP, guard.afterStep(true, false, true));
        assertEquals(Verdict.GIVE_UP, new CollapseGuard(true).afterStep(true, false, false), "nothing to go back to");
    }

    @Test
    void aFlatOutputCountsOnlyAfterEnoughStepsInARowAndBlocksCheckpointsMeanwhile() {
        CollapseGuard guard = new CollapseGuard(true);
        for (int i = 1; i < CollapseGuard.COLLAPSE_STEPS; i++) {
            assertEquals(Verdict.GO_ON, guard.afterStep(false, true, true));
            assertFalse(guard.saveAllowed(), "no checkpoint from a flat step");
        }
        assertEquals(Verdict.GO_ON, guard.afterStep(false, false, true), "a healthy step resets the count");
        assertTrue(guard.saveAllowed());
        for (int i = 1; i < CollapseGuard.COLLAPSE_STEPS; i++) {
            guard.afterStep(false, true, true);
        }
        assertEquals(Verdict.ROLL_BACK, guard.afterStep(false, true, true));
    }

    @Test
    void anOutputFlatSinceAFreshStartIsNotACollapseToRollBackFrom() {
        CollapseGuard fresh = new CollapseGuard(false);
        for (int i = 1; i < CollapseGuard.COLLAPSE_STEPS; i++) {
            fresh.afterStep(false, true, true);
        }
        assertEquals(Verdict.NEVER_HEALTHY, fresh.afterStep(false, true, true));
        CollapseGuard shown = new CollapseGuard(false);
        shown.afterStep(false, false, true);
        for (int i = 1; i < CollapseGuard.COLLAPSE_STEPS; i++) {
            shown.afterStep(false, true, true);
        }
        assertEquals(Verdict.ROLL_BACK, shown.afterStep(false, true, true), "once healthy, a collapse is one");
    }

    @Test
    void theOutputStatisticsThresholds() {
        assertFalse(CollapseGuard.collapsed(0.3, 0.02, 0.8, true));
        assertTrue(CollapseGuard.collapsed(1e-4, 0.02, 0.8, true), "flat");
        assertTrue(CollapseGuard.collapsed(0.3, 0.9, 0.8, true), "blobs");
        assertTrue(CollapseGuard.collapsed(0.3, 0.02, 0.01, true), "a wash after having had detail");
        assertFalse(CollapseGuard.collapsed(0.3, 0.02, 0.01, false), "a generator from scratch starts without detail");
    }
}
