package io.github.facetoon.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

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
 * the photos with a face with that probability and from the others otherwise. All randomness of a batch comes from (seed, iteration) alone, so a run resumed
 * at iteration k sees exactly the batches an uninterrupted run would. A daemon thread prepares the next batches
 * ahead of time in a bounded window; {@link #waitStats()} says how long {@code next} had to wait for them.
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

    private static final int NONE = Integer.MIN_VALUE;

    private final List<Stored> photos;
    private final List<Stored> cartoons;
    private final List<FileProblem> skipped;
    private final int batchSize;
    private final int imageSize;
    private final long seed;
    private final boolean randomCrop;
    private final boolean flip;
    private final int prefetch;

    // Prefetch state, guarded by `lock`.
    private final Object lock = new Object();
    private final TreeMap<Integer, Batch> ready = new TreeMap<>();
    private final Thread producer;
    private boolean started;
    private int wanted;
    private int inProgress = NONE;
    private Throwable failure;
    private boolean closed;
    private long batchesServed;
    private long totalWait;
    private long maxWait;
    private long lastWait;

    private final boolean faceCropUsed;
    /** The photos with a face and those without, when a face share is set and both kinds exist; else null. */
    private final List<Stored> facePhotos;
    private final List<Stored> otherPhotos;
    private final double faceShare;

    private TrainingData(Builder b, List<Stored> photos, List<Stored> cartoons, List<FileProblem> skipped) {
        this.photos = photos;
        this.cartoons = cartoons;
        this.skipped = List.copyOf(skipped);
        this.batchSize = b.batchSize;
        this.imageSize = b.imageSize;
        this.seed = b.seed;
        this.randomCrop = b.randomCrop;
        this.flip = b.flip;
        this.prefetch = b.prefetch;
        this.faceCropUsed = b.faceCrop != null;
        List<Stored> withFace = photos.stream().filter(Stored::face).toList();
        boolean split = b.faceShare > 0 && !withFace.isEmpty() && withFace.size() < photos.size();
        this.facePhotos = split ? withFace : null;
        this.otherPhotos = split ? photos.stream().filter(s -> !s.face()).toList() : null;
        this.faceShare = b.faceShare;
        if (prefetch > 0) {
            producer = new Thread(this::produce, "facetoon-data-prefetch");
            producer.setDaemon(true);
            producer.start();
        } else {
            producer = null;
        }
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
        long start = System.nanoTime();
        Batch batch;
        if (producer == null) {
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("training data is closed");
                }
            }
            batch = batch(iteration);
        } else {
            synchronized (lock) {
                // Checked first: the prefetch thread may have stored a batch after close() emptied the queue.
                if (closed) {
                    throw new IllegalStateException("training data is closed");
                }
                started = true;
                wanted = iteration;
                ready.headMap(iteration).clear();
                ready.tailMap(iteration + prefetch).clear();
                lock.notifyAll();
                while (!ready.containsKey(iteration)) {
                    if (closed) {
                        throw new IllegalStateException("training data is closed");
                    }
                    if (failure != null) {
                        throw new IllegalStateException("preparing training batches failed: " + failure, failure);
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for training data", e);
                    }
                }
                batch = ready.remove(iteration);
                wanted = iteration + 1;
                lock.notifyAll();
            }
        }
        long waited = System.nanoTime() - start;
        synchronized (lock) {
            batchesServed++;
            totalWait += waited;
            maxWait = Math.max(maxWait, waited);
            lastWait = waited;
        }
        return batch;
    }

    /**
     * Builds the batch of an iteration on the calling thread, bypassing the prefetch.
     *
     * @param iteration the iteration
     * @return the same batch {@link #next(int)} returns for it
     */
    public Batch batch(int iteration) {
        SplittableRandom random = new SplittableRandom(mix(seed, iteration));
        float[][] photoBuffers = new float[batchSize][];
        List<Path> photoFiles = new ArrayList<>(batchSize);
        boolean[] faces = new boolean[batchSize];
        for (int i = 0; i < batchSize; i++) {
            Stored s;
            if (facePhotos == null) {
                s = photos.get(random.nextInt(photos.size()));
            } else {
                List<Stored> from = random.nextDouble() < faceShare ? facePhotos : otherPhotos;
                s = from.get(random.nextInt(from.size()));
            }
            photoBuffers[i] = sample(s, random);
            photoFiles.add(s.file());
            faces[i] = s.face();
        }
        float[][] cartoonBuffers = new float[cartoons.isEmpty() ? 0 : batchSize][];
        List<Path> cartoonFiles = new ArrayList<>(cartoonBuffers.length);
        for (int i = 0; i < cartoonBuffers.length; i++) {
            Stored s = cartoons.get(random.nextInt(cartoons.size()));
            cartoonBuffers[i] = sample(s, random);
            cartoonFiles.add(s.file());
        }
        return new Batch(iteration, imageSize, photoBuffers, cartoonBuffers, List.copyOf(photoFiles), List.copyOf(cartoonFiles),
                faceCropUsed ? faces : null);
    }

    /** Crops (randomly or centrally) and mirrors one stored image; always draws the same three numbers. */
    private float[] sample(Stored s, SplittableRandom random) {
        int rx = random.nextInt(s.width() - imageSize + 1);
        int ry = random.nextInt(s.height() - imageSize + 1);
        boolean mirror = random.nextBoolean();
        int x = randomCrop ? rx : (s.width() - imageSize) / 2;
        int y = randomCrop ? ry : (s.height() - imageSize) / 2;
        return ImageTensors.bgrToChw(s.bgr(), s.width(), s.height(), x, y, imageSize, imageSize, flip && mirror);
    }

    /** Stafford's mix13 of (seed, iteration): neighbouring iterations get unrelated random streams. */
    static long mix(long seed, long iteration) {
        long z = seed * 0x9E3779B97F4A7C15L + iteration * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void produce() {
        while (true) {
            int iteration;
            synchronized (lock) {
                while (!closed && (!started || nextJob() == NONE)) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    }
                }
                if (closed) {
                    return;
                }
                iteration = nextJob();
                inProgress = iteration;
            }
            Batch batch;
            try {
                batch = batch(iteration);
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    failure = e;
                    inProgress = NONE;
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                inProgress = NONE;
                if (iteration >= wanted && iteration - wanted < prefetch) {
                    ready.put(iteration, batch);
                }
                lock.notifyAll();
            }
        }
    }

    /** The lowest iteration in the window [wanted, wanted + prefetch) that is neither ready nor being built. */
    private int nextJob() {
        for (long it = wanted; it < (long) wanted + prefetch && it <= Integer.MAX_VALUE; it++) {
            if (!ready.containsKey((int) it) && inProgress != it) {
                return (int) it;
            }
        }
        return NONE;
    }

    /**
     * How long {@link #next(int)} has waited for data so far.
     *
     * @return the counters
     */
    public WaitStats waitStats() {
        synchronized (lock) {
            return new WaitStats(batchesServed, totalWait, maxWait, lastWait);
        }
    }

    /** @return how many of the usable photos have a face found in them (0 without a face detector) */
    public int facePhotoCount() {
        return (int) photos.stream().filter(Stored::face).count();
    }

    /**
     * The usable photos, in scan order.
     *
     * @return the files
     */
    public List<Path> photoFiles() {
        return photos.stream().map(Stored::file).toList();
    }

    /**
     * The usable cartoons, in scan order.
     *
     * @return the files (empty without a cartoon folder)
     */
    public List<Path> cartoonFiles() {
        return cartoons.stream().map(Stored::file).toList();
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
        synchronized (lock) {
            closed = true;
            ready.clear();
            lock.notifyAll();
        }
        if (producer != null) {
            producer.interrupt();
            try {
                producer.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether the prefetch thread is still running (for tests and diagnostics).
     *
     * @return true while it runs
     */
    boolean prefetchThreadAlive() {
        return producer != null && producer.isAlive();
    }

    /** A decoded, resized image: interleaved 8-bit BGR, row-major. */
    private record Stored(Path file, byte[] bgr, int width, int height, boolean face) {}

    /** A file that decoded but is not usable for training. */
    private static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The stored pixels would exceed the memory budget. */
    private static final class OverBudget extends Exception {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super("over the memory budget", null, false, false);
        }
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
            OpenCvRuntime.ensureLoaded();
            List<FileProblem> problems = new ArrayList<>();
            Set<Path> reported = new HashSet<>();
            ImageFolder.Scan photoScan = ImageFolder.scan(photoFolder);
            ImageFolder.Scan cartoonScan = cartoonFolder == null ? null : ImageFolder.scan(cartoonFolder);
            report(photoScan.problems(), problems, reported);
            if (cartoonScan != null) {
                report(cartoonScan.problems(), problems, reported);
            }
            int total = photoScan.images().size() + (cartoonScan == null ? 0 : cartoonScan.images().size());
            ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("facetoon-data-decode"));
            try {
                Object faceLock = new Object();
                AtomicLong stored = new AtomicLong();
                List<Future<Stored>> photoJobs = new ArrayList<>();
                for (Path f : photoScan.images()) {
                    photoJobs.add(pool.submit(() -> prepare(f, true, faceLock, stored)));
                }
                List<Future<Stored>> cartoonJobs = new ArrayList<>();
                if (cartoonScan != null) {
                    for (Path f : cartoonScan.images()) {
                        cartoonJobs.add(pool.submit(() -> prepare(f, false, faceLock, stored)));
                    }
                }
                int[] done = {0};
                List<Stored> photoList = collect(photoScan.images(), photoJobs, problems, reported, done, total);
                List<Stored> cartoonList = collect(cartoonScan == null ? List.of() : cartoonScan.images(), cartoonJobs,
                        problems, reported, done, total);
                requireSome(photoList, photoScan, "photos", problems);
                if (cartoonScan != null) {
                    requireSome(cartoonList, cartoonScan, "cartoons", problems);
                }
                return new TrainingData(this, List.copyOf(photoList), List.copyOf(cartoonList), problems);
            } finally {
                pool.shutdownNow();
            }
        }

        private void report(List<FileProblem> found, List<FileProblem> problems, Set<Path> reported) {
            for (FileProblem p : found) {
                if (reported.add(p.file())) {
                    problems.add(p);
                    listener.skipped(p);
                }
            }
        }

        private List<Stored> collect(List<Path> files, List<Future<Stored>> jobs, List<FileProblem> problems,
                                     Set<Path> reported, int[] done, int total) throws IOException {
            List<Stored> usable = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Path file = files.get(i);
                try {
                    usable.add(jobs.get(i).get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("loading the training images was interrupted");
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    if (cause instanceof OverBudget) {
                        throw new IOException("the training images need more than " + ImageReader.sizeText(memoryBudget)
                                + " of memory; use fewer images, a smaller image size, or give the studio more memory");
                    }
                    String reason;
                    if (cause instanceof UnreadableImageException u) {
                        reason = u.reason();
                    } else if (cause instanceof Unusable u) {
                        reason = u.getMessage();
                    } else {
                        reason = "could not be prepared (" + ImageReader.oneLine(cause) + ")";
                    }
                    report(List.of(new FileProblem(file, reason)), problems, reported);
                }
                done[0]++;
                listener.loaded(done[0], total);
            }
            return usable;
        }

        private static void requireSome(List<Stored> usable, ImageFolder.Scan scan, String what,
                                        List<FileProblem> problems) throws IOException {
            if (!usable.isEmpty()) {
                return;
            }
            String folder = scan.root().toString();
            if (scan.images().isEmpty()) {
                throw new IOException(folder + ": no " + what + " found (looked for "
                        + String.join(", ", new java.util.TreeSet<>(ImageFolder.EXTENSIONS)) + " files)");
            }
            String first = problems.stream().filter(p -> p.file().startsWith(scan.root())).findFirst()
                    .map(FileProblem::message).orElse("");
            throw new IOException(folder + ": none of the " + scan.images().size() + " " + what
                    + " could be used" + (first.isEmpty() ? "" : " (first problem: " + first + ")"));
        }

        private Stored prepare(Path file, boolean isPhoto, Object faceLock, AtomicLong stored)
                throws UnreadableImageException, Unusable, OverBudget {
            if (stored.get() > memoryBudget) {
                throw new OverBudget(); // stop decoding early once the budget is gone
            }
            Mat image = reader.read(file);
            boolean hasFace = false;
            try {
                if (isPhoto && faceCrop != null) {
                    Rect face;
                    try {
                        synchronized (faceLock) {
                            face = faceCrop.apply(image);
                        }
                    } catch (RuntimeException e) {
                        throw new Unusable("face detection failed (" + ImageReader.oneLine(e) + ")");
                    }
                    Rect square = face == null ? null : squareAround(face, image.cols(), image.rows(), faceMargin);
                    if (square == null && requireFace) {
                        throw new Unusable("no face found");
                    }
                    if (square != null) {
                        hasFace = true;
                        Mat cropped = image.submat(square).clone();
                        image.release();
                        image = cropped;
                    }
                }
                int w = image.cols();
                int h = image.rows();
                if (Math.min(w, h) < minShortSide) {
                    throw new Unusable(w + "×" + h + " pixels is too small for training (short side under "
                            + minShortSide + ")");
                }
                // Keep at most maxAspect:1, centred, so a panorama does not become a huge strip in memory.
                int longest = (int) Math.floor(Math.min(w, h) * maxAspect);
                if (Math.max(w, h) > longest) {
                    Rect centre = w > h ? new Rect((w - longest) / 2, 0, longest, h) : new Rect(0, (h - longest) / 2, w, longest);
                    Mat cropped = image.submat(centre).clone();
                    image.release();
                    image = cropped;
                    w = image.cols();
                    h = image.rows();
                }
                int shortTarget = Math.max(imageSize, (int) Math.round(imageSize * (1 + cropMargin)));
                double scale = (double) shortTarget / Math.min(w, h);
                int tw = w <= h ? shortTarget : Math.max(shortTarget, (int) Math.round(w * scale));
                int th = h < w ? shortTarget : Math.max(shortTarget, (int) Math.round(h * scale));
                Mat resized = new Mat();
                try {
                    Imgproc.resize(image, resized, new Size(tw, th), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
                    if (stored.addAndGet(3L * tw * th) > memoryBudget) {
                        throw new OverBudget();
                    }
                    byte[] bgr = new byte[tw * th * 3];
                    resized.get(0, 0, bgr);
                    return new Stored(file, bgr, tw, th, hasFace);
                } finally {
                    resized.release();
                }
            } finally {
                image.release();
            }
        }
    }

    /**
     * The square around a face box: the box's long side plus {@code margin} of it on each side, centred on the box,
     * shrunk to fit and shifted to stay inside the image.
     *
     * @return the square, or null when the box does not overlap the image
     */
    static Rect squareAround(Rect face, int width, int height, double margin) {
        int x0 = Math.max(0, face.x);
        int y0 = Math.max(0, face.y);
        int x1 = Math.min(width, face.x + face.width);
        int y1 = Math.min(height, face.y + face.height);
        if (x1 <= x0 || y1 <= y0) {
            return null;
        }
        double cx = (x0 + x1) / 2.0;
        double cy = (y0 + y1) / 2.0;
        int side = (int) Math.round(Math.max(x1 - x0, y1 - y0) * (1 + 2 * margin));
        side = Math.max(1, Math.min(side, Math.min(width, height)));
        int x = (int) Math.round(cx - side / 2.0);
        int y = (int) Math.round(cy - side / 2.0);
        x = Math.max(0, Math.min(x, width - side));
        y = Math.max(0, Math.min(y, height - side));
        return new Rect(x, y, side, side);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
