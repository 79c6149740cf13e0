package io.github.facetoon.engine.train;

/**
 * Watches a training for what ruins White-box trainings, in the manner of DJL's {@code
 * DivergenceCheckTrainingListener}, and says what the run should do after each step: a numeric blow-up (a NaN or
 * infinite loss) or a collapsed output ({@value #COLLAPSE_STEPS} steps in a row with a flat, burnt-out or featureless
 * output) rolls the run back to its last good checkpoint with a lower learning rate (÷10 after a blow-up, ÷2 after a
 * collapse), at most {@value #MAX_ROLLBACKS} times; a checkpoint is never taken from a step whose output was flat.
 *
 * <p>One guard per run, used on the engine thread only. The output statistics themselves are computed with the step
 * ({@link CartoonReplica#spread}, {@link CartoonReplica#saturation}, {@link CartoonReplica#detail}); their thresholds
 * and the decisions are here.
 */
final class CollapseGuard {

    /** Consecutive steps with a flat output that count as a collapse. */
    static final int COLLAPSE_STEPS = 3;
    /** Roll-backs (each lowering the learning rate) before a run that keeps failing is stopped. */
    static final int MAX_ROLLBACKS = 3;
    /**
     * Below this mean per-image standard deviation (pixels in [-1,1]) the output counts as flat. A photo's is
     * 0.2–0.5, a flat cartoon background's still several hundredths over the whole crop; a collapsed generator's
     * is 1e-4 or less.
     */
    static final double COLLAPSED_SPREAD = 0.01;
    /**
     * Above this fraction of saturated output values (see {@link CartoonReplica#saturation}) the output counts as
     * collapsed into blobs or burnt out: healthy models measured 0–5 % on held-out faces and on training crops
     * (21 % at most for one dark photo), a run on its way to burning out 37 % (its next checkpoints were ruined),
     * the blob collapse 93 %. Caught early, the roll-back lands on a checkpoint from before.
     */
    static final double COLLAPSED_SATURATION = 0.3;
    /**
     * Below this detail ratio (see {@link CartoonReplica#detail}) the output counts as a featureless wash: two CPU
     * runs at content weight 50 slid into one (total variation from 1e-7 to 3e-11, no face found on the output)
     * while their spread stayed above {@link #COLLAPSED_SPREAD}; a ratio of 0.013 (healthy: 0.6–1).
     */
    static final double COLLAPSED_DETAIL = 0.05;

    /** What the run does after a step. */
    enum Verdict {
        /** Go on (checkpoints may be taken when {@link #saveAllowed()}). */
        GO_ON,
        /** Roll back to the last good checkpoint and lower the learning rate. */
        ROLL_BACK,
        /** Stop: it keeps failing after {@value #MAX_ROLLBACKS} roll-backs, or there is nothing to roll back to. */
        GIVE_UP,
        /** Stop: the output has been flat since the start (no pretrained generator); rolling back cannot help. */
        NEVER_HEALTHY
    }

    private int flatSteps;
    private int rollbacks;
    /** Whether the checkpoint a roll-back would land on is known to have a healthy output. */
    private boolean lastGoodHealthy;

    /**
     * @param startHealthy whether the run starts from a checkpoint saved after a healthy step (a resume); a fresh start
     *     is healthy only once a step has shown it
     */
    CollapseGuard(boolean startHealthy) {
        this.lastGoodHealthy = startHealthy;
    }

    /**
     * Whether one step's output statistics show a collapse.
     *
     * @param spread mean per-image standard deviation
     * @param saturation fraction of saturated values
     * @param detail detail ratio against the photos
     * @param hadDetail whether an earlier output of the run had detail (a generator from scratch starts without)
     * @return true for a flat, burnt-out or (after having had detail) featureless output
     */
    static boolean collapsed(double spread, double saturation, double detail, boolean hadDetail) {
        return spread < COLLAPSED_SPREAD || saturation > COLLAPSED_SATURATION || (hadDetail && detail < COLLAPSED_DETAIL);
    }

    /**
     * Judges a step.
     *
     * @param blowUp whether a loss was NaN or infinite
     * @param flat whether the step's output collapsed
     * @param canRollBack whether there is a checkpoint to go back to
     * @return what to do
     */
    Verdict afterStep(boolean blowUp, boolean flat, boolean canRollBack) {
        flatSteps = flat ? flatSteps + 1 : 0;
        lastGoodHealthy |= flatSteps == 0 && !blowUp;
        if (!blowUp && flatSteps >= COLLAPSE_STEPS && !lastGoodHealthy) {
            return Verdict.NEVER_HEALTHY;
        }
        if (blowUp || flatSteps >= COLLAPSE_STEPS) {
            return !canRollBack || rollbacks >= MAX_ROLLBACKS ? Verdict.GIVE_UP : Verdict.ROLL_BACK;
        }
        return Verdict.GO_ON;
    }

    /** Records a roll-back. */
    void rolledBack() {
        rollbacks++;
        flatSteps = 0;
    }

    /** @return roll-backs so far */
    int rollbacks() {
        return rollbacks;
    }

    /** @return whether the last step's output was healthy, so a checkpoint may be taken from it */
    boolean saveAllowed() {
        return flatSteps == 0;
    }
}
