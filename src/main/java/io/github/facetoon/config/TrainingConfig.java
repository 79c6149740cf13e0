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
 * @param faceShare the share of each batch's photos drawn from the photos in which a face was found (the rest from the
 *     others), as White-box draws face batches more often than their number alone would; 0 draws every photo
 *     evenly
 */
public record TrainingConfig(Phase phase, Path photos, Path cartoons, int totalIter, int batchSize, int imageSize,
                             int saveEvery, long seed, String modelVersion, Path init, boolean resume,
                             double learningRate, double beta1, double beta2, LossWeights weights, String device,
                             Path workspace, Path contentNet, Path structureNet, ResumeOverrides resumeOverrides,
                             Target target, int keepLast, double faceShare) {

    /** Images per step unless told otherwise (White-box's and the original project's). */
    public static final int DEFAULT_BATCH_SIZE = 16;

    /**
     * The batch the studio starts with: on a CPU, half White-box's batch gives twice the steps per hour, and the look
     * a user judges comes from the number of steps more than from the batch.
     */
    public static final int SMALL_BATCH_SIZE = 8;

    /** Training crop size in pixels unless told otherwise. */
    public static final int DEFAULT_IMAGE_SIZE = 128;

    /** Iterations between checkpoints unless told otherwise. */
    public static final int DEFAULT_SAVE_EVERY = 500;

    /** The random seed unless told otherwise. */
    public static final long DEFAULT_SEED = 42L;

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
        require(faceShare >= 0 && faceShare <= 1, "--face_share must be from 0 to 1, got " + faceShare);
    }

    /**
     * The defaults for a phase.
     *
     * @param phase the phase
     * @param photos the photo folder
     * @param cartoons the cartoon folder (null for pretraining)
     * @param workspace the workspace
     * @return a configuration with the defaults (White-box's and the original project's)
     */
    public static TrainingConfig defaults(Phase phase, Path photos, Path cartoons, Path workspace) {
        return builder(phase, photos, cartoons, workspace).build();
    }

    /**
     * A builder that starts from the defaults of a phase.
     *
     * @param phase the phase
     * @param photos the photo folder
     * @param cartoons the cartoon folder (null for pretraining)
     * @param workspace the workspace
     * @return the builder
     */
    public static Builder builder(Phase phase, Path photos, Path cartoons, Path workspace) {
        Builder b = new Builder();
        boolean pre = phase == Phase.PRETRAIN;
        b.phase = phase;
        b.photos = photos;
        b.cartoons = cartoons;
        b.workspace = workspace;
        b.totalIter = pre ? 50_000 : 100_000;
        b.modelVersion = pre ? "pre" : "1";
        return b;
    }

    /** @return a builder holding this configuration, to change some of it */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.phase = phase;
        b.photos = photos;
        b.cartoons = cartoons;
        b.totalIter = totalIter;
        b.batchSize = batchSize;
        b.imageSize = imageSize;
        b.saveEvery = saveEvery;
        b.seed = seed;
        b.modelVersion = modelVersion;
        b.init = init;
        b.resume = resume;
        b.learningRate = learningRate;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.weights = weights;
        b.device = device;
        b.workspace = workspace;
        b.contentNet = contentNet;
        b.structureNet = structureNet;
        b.resumeOverrides = resumeOverrides;
        b.target = target;
        b.keepLast = keepLast;
        b.faceShare = faceShare;
        return b;
    }

    /**
     * Builds a configuration a few settings at a time; {@link #build()} validates the whole. The defaults are here and
     * nowhere else: the command line's, the studio's and the benchmark's settings start from them.
     */
    public static final class Builder {
        private Phase phase;
        private Path photos;
        private Path cartoons;
        private int totalIter;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int imageSize = DEFAULT_IMAGE_SIZE;
        private int saveEvery = DEFAULT_SAVE_EVERY;
        private long seed = DEFAULT_SEED;
        private String modelVersion;
        private Path init;
        private boolean resume;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double beta1 = 0.5;
        private double beta2 = 0.99;
        private LossWeights weights = LossWeights.defaults();
        private String device = "auto";
        private Path workspace;
        private Path contentNet;
        private Path structureNet;
        private ResumeOverrides resumeOverrides = ResumeOverrides.NONE;
        private Target target = Target.PHOTO;
        private int keepLast = DEFAULT_KEEP_LAST;
        private double faceShare;

        private Builder() {}

        /** @param v the iteration to stop at @return this */
        public Builder totalIter(int v) {
            totalIter = v;
            return this;
        }

        /** @param v images per step @return this */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v crop size in pixels @return this */
        public Builder imageSize(int v) {
            imageSize = v;
            return this;
        }

        /** @param v iterations between checkpoints @return this */
        public Builder saveEvery(int v) {
            saveEvery = v;
            return this;
        }

        /** @param v random seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v the run's name @return this */
        public Builder modelVersion(String v) {
            modelVersion = v;
            return this;
        }

        /** @param v checkpoint to start the generator from, or null @return this */
        public Builder init(Path v) {
            init = v;
            return this;
        }

        /** @param v continue the run's newest checkpoint @return this */
        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        /** @param v Adam's learning rate @return this */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** @param v the loss weights at the start @return this */
        public Builder weights(LossWeights v) {
            weights = v;
            return this;
        }

        /** @param v {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}… @return this */
        public Builder device(String v) {
            device = v;
            return this;
        }

        /** @param v the content network (a file or {@code pixels}), or null for the bundled one @return this */
        public Builder contentNet(Path v) {
            contentNet = v;
            return this;
        }

        /** @param v the structure term's own network, or null for the content network @return this */
        public Builder structureNet(Path v) {
            structureNet = v;
            return this;
        }

        /** @param v settings that win over a resumed checkpoint's @return this */
        public Builder resumeOverrides(ResumeOverrides v) {
            resumeOverrides = v;
            return this;
        }

        /** @param v what G is kept near @return this */
        public Builder target(Target v) {
            target = v;
            return this;
        }

        /** @param v newest checkpoints kept @return this */
        public Builder keepLast(int v) {
            keepLast = v;
            return this;
        }

        /** @param v share of each batch's photos drawn from face photos (0: evenly) @return this */
        public Builder faceShare(double v) {
            faceShare = v;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the setting to fix
         */
        public TrainingConfig build() {
            return new TrainingConfig(phase, photos, cartoons, totalIter, batchSize, imageSize, saveEvery, seed,
                    modelVersion, init, resume, learningRate, beta1, beta2, weights, device, workspace, contentNet,
                    structureNet, resumeOverrides, target, keepLast, faceShare);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
