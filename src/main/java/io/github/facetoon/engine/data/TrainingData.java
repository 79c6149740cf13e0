package io.github.facetoon.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Training batches of photos and cartoons, decoded once and kept in memory as 8-bit pixels.
 *
 * <p>{@link Builder#build()} scans the folders, decodes every image on a small pool of background threads,
 * optionally crops photos to a square around the face, and resizes each image so its short side is the training
 * size plus a small crop margin. Files that cannot be used are skipped and reported once each to the
 * {@link Listener}; if no usable photo (or, when a cartoon folder is given, no usable cartoon) is left, building fails.
 *
 * <p>{@link #next(int)} returns the batch of an iteration: images drawn with replacement, randomly (or centrally)
 * cropped and randomly mirrored. With a {@linkplain Builder#optFaceShare face share}, each photo of a batch comes from
 * the photos with a face with that probability and from the others otherwise. All randomness of a batch comes from
 * (seed, iteration) alone, so a run resumed at iteration k sees exactly the batches an uninterrupted run would. A
 * daemon thread prepares the next batches ahead of time in a bounded window; {@link #waitStats()} says how long
 * {@code next} had to wait for them.
 *
 * <p>The parts: {@link CorpusLoader} loads the images once, {@link BatchSampler} draws a batch (pure),
 * {@link BatchPrefetcher} keeps the next ones ready.
 */
public final class TrainingData implements AutoCloseable {

    /** Receives what happens while the images are loaded; called on the thread that calls {@link Builder#build()}. */
    public interface Listener {
        /**
         * A file or folder was skipped; called once per file.
         *
         * @param problem the file and the reason
         */
        default void skipped(FileProblem problem) {}

        /**
         * Loading progressed.
         *
         * @param done files handled so far (usable or skipped)
         * @param total files found
         */
        default void loaded(int done, int total) {}
    }

    /**
     * One step's images, as CHW RGB float buffers in [-1,1], ready for {@link ImageTensors#toBatch}.
     *
     * @param iteration the iteration it belongs to
     * @param size height and width of every image
     * @param photos N buffers of 3·size·size floats
     * @param cartoons N buffers, or none when no cartoon folder was given
     * @param photoFiles the file each photo came from
     * @param cartoonFiles the file each cartoon came from
     * @param photoFaces for each photo, whether the face detector found a face in it (the photo is then a face
     *     crop); null when no detector was used
     */
    public record Batch(int iteration, int size, float[][] photos, float[][] cartoons, List<Path> photoFiles,
                        List<Path> cartoonFiles, boolean[] photoFaces) {

        /**
         * The photos as an (N,3,size,size) array.
         *
         * @param manager where the array lives
         * @return the array
         */
        public NDArray photoArray(NDManager manager) {
            return ImageTensors.toBatch(manager, photos, size, size);
        }

        /**
         * The cartoons as an (N,3,size,size) array.
         *
         * @param manager where the array lives
         * @return the array
         * @throws IllegalStateException when no cartoon folder was given
         */
        public NDArray cartoonArray(NDManager manager) {
            if (cartoons.length == 0) {
                throw new IllegalStateException("this training data has no cartoons");
            }
            return ImageTensors.toBatch(manager, cartoons, size, size);
        }
    }

    /**
     * How long {@link #next(int)} waited for its batches.
     *
     * @param batches batches handed out
     * @param totalWaitNanos total time spent waiting
     * @param maxWaitNanos the longest single wait
     * @param lastWaitNanos the latest wait
     */
    public record WaitStats(long batches, long totalWaitNanos, long maxWaitNanos, long lastWaitNanos) {

        /**
         * The mean wait per batch.
         *
         * @return milliseconds, 0 before the first batch
         */
        public double meanWaitMillis() {
            return batches == 0 ? 0 : totalWaitNanos / 1e6 / batches;
        }
    }

    /**
     * Starts a configuration.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private final List<StoredImage> photos;
    private final List<StoredImage> cartoons;
    private final List<FileProblem> skipped;
    private final int batchSize;
    private final int imageSize;
    private final BatchSampler sampler;
    private final BatchPrefetcher prefetcher;

    private TrainingData(Builder b, CorpusLoader.Corpus corpus) {
        this.photos = corpus.photos();
        this.cartoons = corpus.cartoons();
        this.skipped = corpus.skipped();
        this.batchSize = b.batchSize;
        this.imageSize = b.imageSize;
        this.sampler = new BatchSampler(photos, cartoons, b.batchSize, b.imageSize, b.seed, b.randomCrop, b.flip,
                b.faceCrop != null, b.faceShare);
        this.prefetcher = new BatchPrefetcher(sampler::batch, b.prefetch);
    }

    /**
     * The batch of an iteration, prepared ahead of time when possible. Asking for iterations in order is the fast
     * path; any other order works too and gives the same batches.
     *
     * @param iteration the iteration
     * @return the batch, identical for equal (seed, iteration) and equal folders
     * @throws IllegalStateException when closed, interrupted, or the background thread failed
     */
    public Batch next(int iteration) {
        return prefetcher.next(iteration);
    }

    /**
     * Builds the batch of an iteration on the calling thread, bypassing the prefetch.
     *
     * @param iteration the iteration
     * @return the same batch {@link #next(int)} returns for it
     */
    public Batch batch(int iteration) {
        return sampler.batch(iteration);
    }

    /**
     * How long {@link #next(int)} has waited for data so far.
     *
     * @return the counters
     */
    public WaitStats waitStats() {
        return prefetcher.waitStats();
    }

    /** @return how many of the usable photos have a face found in them (0 without a face detector) */
    public int facePhotoCount() {
        return (int) photos.stream().filter(StoredImage::face).count();
    }

    /**
     * The usable photos, in scan order.
     *
     * @return the files
     */
    public List<Path> photoFiles() {
        return photos.stream().map(StoredImage::file).toList();
    }

    /**
     * The usable cartoons, in scan order.
     *
     * @return the files (empty without a cartoon folder)
     */
    public List<Path> cartoonFiles() {
        return cartoons.stream().map(StoredImage::file).toList();
    }

    /**
     * Everything skipped while loading, in the order it was reported.
     *
     * @return the problems
     */
    public List<FileProblem> skipped() {
        return skipped;
    }

    /**
     * The size of the images in a batch.
     *
     * @return pixels
     */
    public int imageSize() {
        return imageSize;
    }

    /**
     * The number of images per kind in a batch.
     *
     * @return N
     */
    public int batchSize() {
        return batchSize;
    }

    /** Stops the prefetch thread and drops prepared batches; later calls to {@link #next(int)} fail. */
    @Override
    public void close() {
        prefetcher.close();
    }

    /**
     * Whether the prefetch thread is still running (for tests and diagnostics).
     *
     * @return true while it runs
     */
    boolean prefetchThreadAlive() {
        return prefetcher.alive();
    }

    /** Configures and loads training data (DJL style: {@code setX} required, {@code optX} optional). */
    public static final class Builder {
        private Path photoFolder;
        private Path cartoonFolder;
        private int imageSize;
        private int batchSize;
        private long seed = 42L;
        private double cropMargin = 0.1;
        private boolean randomCrop = true;
        private boolean flip = true;
        private int prefetch = 2;
        private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int minShortSide = 32;
        private double maxAspect = 2.0;
        private Function<Mat, Rect> faceCrop;
        private double faceMargin = 0.3;
        private boolean requireFace;
        private double faceShare;
        private ImageReader reader = new ImageReader();
        private Listener listener = new Listener() {};
        private long memoryBudget = Runtime.getRuntime().maxMemory() / 2;

        private Builder() {}

        /** The photo folder, scanned recursively (required). @param v folder @return this */
        public Builder setPhotos(Path v) {
            this.photoFolder = v;
            return this;
        }

        /** The cartoon folder, scanned recursively; leave out for pretraining. @param v folder or null @return this */
        public Builder optCartoons(Path v) {
            this.cartoonFolder = v;
            return this;
        }

        /** The training image size in pixels (required). @param v size @return this */
        public Builder setImageSize(int v) {
            this.imageSize = v;
            return this;
        }

        /** Images per kind in a batch (required). @param v N @return this */
        public Builder setBatchSize(int v) {
            this.batchSize = v;
            return this;
        }

        /** The random seed (default 42). @param v seed @return this */
        public Builder optSeed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * The extra room kept around the training size for random crops, as a fraction: the short side is stored
         * at {@code size·(1 + margin)} pixels (default 0.1; 0 reproduces the seed's resize-then-centre-crop).
         *
         * @param v margin in [0, 1]
         * @return this
         */
        public Builder optCropMargin(double v) {
            this.cropMargin = v;
            return this;
        }

        /** Random crops (default) or centre crops. @param v true for random @return this */
        public Builder optRandomCrop(boolean v) {
            this.randomCrop = v;
            return this;
        }

        /** Random horizontal flips (default on). @param v on or off @return this */
        public Builder optFlip(boolean v) {
            this.flip = v;
            return this;
        }

        /** Batches prepared ahead by the background thread (default 2; 0 builds them in {@code next}). @param v depth @return this */
        public Builder optPrefetch(int v) {
            this.prefetch = v;
            return this;
        }

        /** Decoding threads while loading (default up to 4). @param v threads @return this */
        public Builder optThreads(int v) {
            this.threads = v;
            return this;
        }

        /** Images whose short side (after a face crop) is below this are skipped (default 32). @param v pixels @return this */
        public Builder optMinShortSide(int v) {
            this.minShortSide = v;
            return this;
        }

        /** Longer images are centre-cropped to this ratio of long to short side before resizing (default 2). @param v ratio ≥ 1 @return this */
        public Builder optMaxAspect(double v) {
            this.maxAspect = v;
            return this;
        }

        /**
         * A face detector for photos: given the decoded BGR photo, it returns the face box or null. When a box is
         * found, the photo is cropped to a square around it (the box's long side plus {@code margin} of it on each
         * side, kept inside the photo) before resizing. The detector is never called by two threads at once.
         *
         * @param detector the detector, or null for none
         * @param margin the fraction of the face size added on each side (for example 0.3)
         * @return this
         */
        public Builder optFaceCrop(Function<Mat, Rect> detector, double margin) {
            this.faceCrop = detector;
            this.faceMargin = margin;
            return this;
        }

        /**
         * With a face detector, the share of each batch's photos drawn from the photos with a face (the rest from the
         * others): 0.5 gives faces half of every batch however few of the photos they are. Default 0: every photo is
         * drawn evenly. Without a face detector, or when all or none of the photos have a face, it has no effect.
         *
         * @param v from 0 to 1
         * @return this
         */
        public Builder optFaceShare(double v) {
            this.faceShare = v;
            return this;
        }

        /** With a face detector, skip photos in which it finds no face (default: keep them uncropped). @param v on or off @return this */
        public Builder optRequireFace(boolean v) {
            this.requireFace = v;
            return this;
        }

        /**
         * The most heap the stored pixels may take (default half the JVM's maximum heap). Loading stops with a
         * clear error instead of running out of memory when a folder holds more than fits.
         *
         * @param v bytes
         * @return this
         */
        public Builder optMemoryBudget(long v) {
            this.memoryBudget = v;
            return this;
        }

        /** The reader (and so its file-size and pixel limits). @param v reader @return this */
        public Builder optReader(ImageReader v) {
            this.reader = Objects.requireNonNull(v, "reader");
            return this;
        }

        /** Receives skipped files and progress. @param v listener @return this */
        public Builder optListener(Listener v) {
            this.listener = Objects.requireNonNull(v, "listener");
            return this;
        }

        /**
         * Scans, decodes and resizes every image, then starts the prefetch thread. Blocks until loading is done.
         *
         * @return the training data; close it when done
         * @throws IOException when a folder is missing, nothing usable is left, or the calling thread is interrupted
         * @throws IllegalArgumentException when a setting is missing or out of range
         */
        public TrainingData build() throws IOException {
            if (photoFolder == null) {
                throw new IllegalArgumentException("the photo folder is required");
            }
            if (imageSize < 8) {
                throw new IllegalArgumentException("image size must be >= 8, got " + imageSize);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (!(cropMargin >= 0 && cropMargin <= 1)) {
                throw new IllegalArgumentException("crop margin must be in [0,1], got " + cropMargin);
            }
            if (prefetch < 0 || threads < 1 || minShortSide < 1 || !(maxAspect >= 1) || !(faceMargin >= 0)
                    || !(faceShare >= 0 && faceShare <= 1) || memoryBudget <= 0) {
                throw new IllegalArgumentException("prefetch >= 0, threads >= 1, min short side >= 1, max aspect >= 1, "
                        + "face margin >= 0, face share in [0,1] and memory budget > 0 are required");
            }
            return new TrainingData(this, CorpusLoader.load(new CorpusLoader.Settings(photoFolder, cartoonFolder,
                    imageSize, cropMargin, threads, minShortSide, maxAspect, faceCrop, faceMargin, requireFace, reader,
                    listener, memoryBudget)));
        }
    }

}
