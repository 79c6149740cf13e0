package io.github.facetoon.config;

import java.nio.file.Path;

/**
 * Everything a training run needs, validated once. Defaults follow the seed and White-box (Adam 2e-4,
 * betas (0.5, 0.99), batch 16, 128 px).
 *
 * @param phase pretraining (pixel L1 of G(x) vs x) or full training
 * @param photos folder of face photos (searched recursively)
 * @param cartoons folder of cartoon images; required for {@link Phase#TRAIN}, ignored for pretraining
 * @param totalIter the iteration at which the run stops
 * @param batchSize images per step
 * @param imageSize training crop size in pixels, a multiple of 8
 * @param saveEvery iterations between checkpoints
 * @param seed random seed (data order, augmentation, colour shift, initial weights)
 * @param modelVersion the seed's {@code --model_version}: names the run folder in the workspace
 * @param init checkpoint to start the generator from (a pretrained one), or null
 * @param resume continue the newest checkpoint of this model version exactly where it stopped
 * @param learningRate Adam learning rate
 * @param beta1 Adam beta 1
 * @param beta2 Adam beta 2
 * @param weights loss weights at the start (they can change while the run goes on)
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param workspace where runs and checkpoints go
 * @param contentNet a user-supplied TorchScript VGG19 for the content and structure terms, {@code pixels}, or null
 *     for the bundled feature network
 * @param structureNet the structure term's own network (a TorchScript file or {@code pixels}), or null for the
 *     content term's
 * @param resumeOverrides settings given for a resumed run that win over the checkpoint's ({@link ResumeOverrides#NONE}
 *     to continue exactly)
 * @param target what G is kept near: pretraining's L1 reconstructs it, training's content term compares G's features
 *     with its features ({@link Target#PHOTO}, the photo itself, is White-box's for both)
 * @param keepLast how many of a run's newest checkpoints are kept (older ones at multiples of 5,000 stay too)
 */
public record TrainingConfig(Phase phase, Path photos, Path cartoons, int totalIter, int batchSize, int imageSize,
                             int saveEvery, long seed, String modelVersion, Path init, boolean resume,
                             double learningRate, double beta1, double beta2, LossWeights weights, String device,
                             Path workspace, Path contentNet, Path structureNet, ResumeOverrides resumeOverrides,
                             Target target, int keepLast) {

    /** How many of a run's newest checkpoints are kept unless told otherwise. */
    public static final int DEFAULT_KEEP_LAST = 5;

    /** Adam's learning rate unless told otherwise (White-box's and the original project's). */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;

    /** The two phases of the original project: pretraining of G by pixel L1, and full White-box training. */
    public enum Phase { PRETRAIN, TRAIN }

    /**
     * What the generator is kept near: what pretraining teaches it to produce from a photo, and what training's content
     * term compares its output with.
     *
     * <p>{@link #PHOTO} is White-box's: the photo itself. {@link #CARTOON} is the photo after the cartoon filter's
     * warm-start settings (flat smoothed colour, dark outlines on the colour edges): as a pretraining target it is a
     * stylised warm start, so that the adversarial training which follows starts from a flat, outlined look instead of
     * a copy; as the content target it keeps the photo's content (the filter moves no shapes) while pulling toward
     * flat regions and outlines rather than back toward the photo's gradients and pores.
     */
    public enum Target {
        /** The photo: pretraining {@code L = mean|G(x) − x|}, content {@code |F(G(x)) − F(x)|}. */
        PHOTO,
        /** The photo's cartoon-filter rendering: {@code L = mean|G(x) − toon(x)|}, content {@code |F(G(x)) − F(toon(x))|}. */
        CARTOON,
        /**
         * The same with the filter's inked look: higher lightness contrast (pale skin, dark hair) and thinner,
         * darker outlines that spare regions already dark.
         */
        INKED;

        /** @return the name users type and see ({@code photo}, {@code cartoon}, {@code inked}) */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Parses a user's name.
         *
         * @param s {@code photo}, {@code cartoon} or {@code inked}, any case
         * @return the target
         * @throws IllegalArgumentException naming the choices
         */
        public static Target parse(String s) {
            for (Target t : values()) {
                if (t.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("--target must be photo, cartoon or inked, got '" + s + "'");
        }
    }

    /** Validates the configuration; every message names the flag to fix. */
    public TrainingConfig {
        require(phase != null, "phase is required");
        require(photos != null, "--photos is required");
        require(phase == Phase.PRETRAIN || cartoons != null, "--cartoons is required for train");
        require(totalIter > 0, "--total_iter must be > 0, got " + totalIter);
        require(batchSize > 0, "--batch_size must be > 0, got " + batchSize);
        require(imageSize >= 32 && imageSize % 8 == 0, "--image_size must be a multiple of 8 and >= 32, got " + imageSize);
        require(saveEvery > 0, "--save_every must be > 0, got " + saveEvery);
        require(modelVersion != null && modelVersion.matches("[A-Za-z0-9._-]{1,64}"),
                "--model_version must be 1-64 letters, digits, '.', '_' or '-', got '" + modelVersion + "'");
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0,1)");
        require(weights != null, "weights are required");
        require(device != null, "device is required");
        require(workspace != null, "--workspace is required");
        require(resumeOverrides != null, "resume overrides are required (ResumeOverrides.NONE for none)");
        require(target != null, "the target is required (Target.PHOTO for White-box's)");
        require(keepLast >= 1, "--keep_last must be at least 1, got " + keepLast);
    }

    /**
     * The defaults for a phase.
     *
     * @param phase the phase
     * @param photos the photo folder
     * @param cartoons the cartoon folder (null for pretraining)
     * @param workspace the workspace
     * @return a configuration with the seed's defaults
     */
    public static TrainingConfig defaults(Phase phase, Path photos, Path cartoons, Path workspace) {
        boolean pre = phase == Phase.PRETRAIN;
        return new TrainingConfig(phase, photos, cartoons, pre ? 50_000 : 100_000, 16, 128, 500, 42L,
                pre ? "pre" : "1", null, false, DEFAULT_LEARNING_RATE, 0.5, 0.99, LossWeights.defaults(), "auto", workspace, null,
                null, ResumeOverrides.NONE, Target.PHOTO, DEFAULT_KEEP_LAST);
    }

    /** Copy with another iteration count. @param v value @return copy */
    public TrainingConfig withTotalIter(int v) {
        return new TrainingConfig(phase, photos, cartoons, v, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another batch size. @param v value @return copy */
    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, v, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another image size. @param v value @return copy */
    public TrainingConfig withImageSize(int v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, v, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another save interval. @param v value @return copy */
    public TrainingConfig withSaveEvery(int v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, v, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another seed. @param v value @return copy */
    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, v, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another model version. @param v value @return copy */
    public TrainingConfig withModelVersion(String v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, v, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another initial checkpoint. @param v value (null for none) @return copy */
    public TrainingConfig withInit(Path v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, v,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with resume on or off. @param v value @return copy */
    public TrainingConfig withResume(boolean v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                v, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another learning rate. @param v value @return copy */
    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, v, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with other starting weights. @param v value @return copy */
    public TrainingConfig withWeights(LossWeights v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, v, device, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another device. @param v value @return copy */
    public TrainingConfig withDevice(String v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, v, workspace, contentNet, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with another structure network. @param v value (null: the content network's) @return copy */
    public TrainingConfig withStructureNet(Path v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, v, resumeOverrides, target, keepLast);
    }

    /** Copy with another content network. @param v value (null for the bundled one) @return copy */
    public TrainingConfig withContentNet(Path v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, v, structureNet, resumeOverrides, target, keepLast);
    }

    /** Copy with other settings that win over a resumed checkpoint's. @param v value @return copy */
    public TrainingConfig withResumeOverrides(ResumeOverrides v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, v, target, keepLast);
    }

    /** Copy with another target. @param v value @return copy */
    public TrainingConfig withTarget(Target v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, v, keepLast);
    }

    /** Copy keeping another number of newest checkpoints. @param v value @return copy */
    public TrainingConfig withKeepLast(int v) {
        return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed, modelVersion, init,
                resume, learningRate, beta1, beta2, weights, device, workspace, contentNet, structureNet, resumeOverrides, target, v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
