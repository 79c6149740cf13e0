package io.github.facetoon.engine.data;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Loads the training images once: scans the folders, decodes every image on a small pool of threads, crops photos to
 * a square around the face when a detector is given, and resizes each image so that its short side is the training
 * size plus the crop margin. Files that cannot be used are reported once each and skipped.
 */
final class CorpusLoader {

    /**
     * What to load and how ({@link TrainingData.Builder}'s settings).
     *
     * @param photoFolder photos, scanned recursively
     * @param cartoonFolder cartoons, or null for none
     * @param imageSize the training size
     * @param cropMargin extra room kept around the training size, as a fraction
     * @param threads decoding threads
     * @param minShortSide images smaller than this are skipped
     * @param maxAspect longer images are centre-cropped to this ratio
     * @param faceCrop the face detector, or null
     * @param faceMargin room around the face, as a fraction of its size
     * @param requireFace skip photos without a face
     * @param reader the hardened reader
     * @param listener receives skipped files and progress
     * @param memoryBudget most bytes the stored pixels may take
     */
    record Settings(Path photoFolder, Path cartoonFolder, int imageSize, double cropMargin, int threads,
                    int minShortSide, double maxAspect, Function<Mat, Rect> faceCrop, double faceMargin,
                    boolean requireFace, ImageReader reader, TrainingData.Listener listener, long memoryBudget) {}

    /**
     * The loaded images.
     *
     * @param photos the usable photos, in scan order
     * @param cartoons the usable cartoons, in scan order
     * @param skipped every file skipped, with its reason
     */
    record Corpus(List<StoredImage> photos, List<StoredImage> cartoons, List<FileProblem> skipped) {}

    private final Path photoFolder;
    private final Path cartoonFolder;
    private final int imageSize;
    private final double cropMargin;
    private final int threads;
    private final int minShortSide;
    private final double maxAspect;
    private final Function<Mat, Rect> faceCrop;
    private final double faceMargin;
    private final boolean requireFace;
    private final ImageReader reader;
    private final TrainingData.Listener listener;
    private final long memoryBudget;

    private CorpusLoader(Settings s) {
        photoFolder = s.photoFolder();
        cartoonFolder = s.cartoonFolder();
        imageSize = s.imageSize();
        cropMargin = s.cropMargin();
        threads = s.threads();
        minShortSide = s.minShortSide();
        maxAspect = s.maxAspect();
        faceCrop = s.faceCrop();
        faceMargin = s.faceMargin();
        requireFace = s.requireFace();
        reader = s.reader();
        listener = s.listener();
        memoryBudget = s.memoryBudget();
    }

    /**
     * Loads every image; blocks until done.
     *
     * @param settings what and how
     * @return the usable images and the skipped files
     * @throws IOException when a folder is missing, nothing usable is left, the images do not fit the memory budget,
     *     or the calling thread is interrupted
     */
    static Corpus load(Settings settings) throws IOException {
        return new CorpusLoader(settings).load();
    }

    private Corpus load() throws IOException {
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
            List<Future<StoredImage>> photoJobs = new ArrayList<>();
            for (Path f : photoScan.images()) {
                photoJobs.add(pool.submit(() -> prepare(f, true, faceLock, stored)));
            }
            List<Future<StoredImage>> cartoonJobs = new ArrayList<>();
            if (cartoonScan != null) {
                for (Path f : cartoonScan.images()) {
                    cartoonJobs.add(pool.submit(() -> prepare(f, false, faceLock, stored)));
                }
            }
            int[] done = {0};
            List<StoredImage> photoList = collect(photoScan.images(), photoJobs, problems, reported, done, total);
            List<StoredImage> cartoonList = collect(cartoonScan == null ? List.of() : cartoonScan.images(), cartoonJobs,
                    problems, reported, done, total);
            requireSome(photoList, photoScan, "photos", problems);
            if (cartoonScan != null) {
                requireSome(cartoonList, cartoonScan, "cartoons", problems);
            }
            return new Corpus(List.copyOf(photoList), List.copyOf(cartoonList), List.copyOf(problems));
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

    private List<StoredImage> collect(List<Path> files, List<Future<StoredImage>> jobs, List<FileProblem> problems,
                                 Set<Path> reported, int[] done, int total) throws IOException {
        List<StoredImage> usable = new ArrayList<>();
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

    private static void requireSome(List<StoredImage> usable, ImageFolder.Scan scan, String what,
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

    private StoredImage prepare(Path file, boolean isPhoto, Object faceLock, AtomicLong stored)
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
                return new StoredImage(file, bgr, tw, th, hasFace);
            } finally {
                resized.release();
            }
        } finally {
            image.release();
        }
    }

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
