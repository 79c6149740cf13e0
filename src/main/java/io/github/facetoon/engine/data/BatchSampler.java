package io.github.facetoon.engine.data;

import io.github.facetoon.engine.vision.ImageTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the batch of an iteration from the loaded images: photos and cartoons with replacement, randomly (or
 * centrally) cropped and randomly mirrored. Pure: every random number comes from (seed, iteration), so a run resumed at
 * iteration k sees exactly the batches an uninterrupted run would, on any thread.
 */
final class BatchSampler {

    private final List<StoredImage> photos;
    private final List<StoredImage> cartoons;
    private final int batchSize;
    private final int imageSize;
    private final long seed;
    private final boolean randomCrop;
    private final boolean flip;
    private final boolean facesKnown;
    /** The photos with a face and those without, when a face share is set and both kinds exist; else null. */
    private final List<StoredImage> facePhotos;
    private final List<StoredImage> otherPhotos;
    private final double faceShare;

    /**
     * @param photos the photos
     * @param cartoons the cartoons (empty for pretraining)
     * @param batchSize images of each kind per batch
     * @param imageSize crop size
     * @param seed the run's seed
     * @param randomCrop random crops, else centre crops
     * @param flip random horizontal mirroring
     * @param facesKnown whether a face detector ran (the batches then say which photos have a face)
     * @param faceShare the share of photos drawn from those with a face (0: evenly)
     */
    BatchSampler(List<StoredImage> photos, List<StoredImage> cartoons, int batchSize, int imageSize, long seed,
                 boolean randomCrop, boolean flip, boolean facesKnown, double faceShare) {
        this.photos = photos;
        this.cartoons = cartoons;
        this.batchSize = batchSize;
        this.imageSize = imageSize;
        this.seed = seed;
        this.randomCrop = randomCrop;
        this.flip = flip;
        this.facesKnown = facesKnown;
        List<StoredImage> withFace = photos.stream().filter(StoredImage::face).toList();
        boolean split = faceShare > 0 && !withFace.isEmpty() && withFace.size() < photos.size();
        this.facePhotos = split ? withFace : null;
        this.otherPhotos = split ? photos.stream().filter(s -> !s.face()).toList() : null;
        this.faceShare = faceShare;
    }

    /**
     * The batch of an iteration.
     *
     * @param iteration the iteration
     * @return the batch, identical for equal (seed, iteration) and equal images
     */
    TrainingData.Batch batch(int iteration) {
        SplittableRandom random = new SplittableRandom(mix(seed, iteration));
        float[][] photoBuffers = new float[batchSize][];
        List<Path> photoFiles = new ArrayList<>(batchSize);
        boolean[] faces = new boolean[batchSize];
        for (int i = 0; i < batchSize; i++) {
            StoredImage s;
            if (facePhotos == null) {
                s = photos.get(random.nextInt(photos.size()));
            } else {
                List<StoredImage> from = random.nextDouble() < faceShare ? facePhotos : otherPhotos;
                s = from.get(random.nextInt(from.size()));
            }
            photoBuffers[i] = sample(s, random);
            photoFiles.add(s.file());
            faces[i] = s.face();
        }
        float[][] cartoonBuffers = new float[cartoons.isEmpty() ? 0 : batchSize][];
        List<Path> cartoonFiles = new ArrayList<>(cartoonBuffers.length);
        for (int i = 0; i < cartoonBuffers.length; i++) {
            StoredImage s = cartoons.get(random.nextInt(cartoons.size()));
            cartoonBuffers[i] = sample(s, random);
            cartoonFiles.add(s.file());
        }
        return new TrainingData.Batch(iteration, imageSize, photoBuffers, cartoonBuffers, List.copyOf(photoFiles),
                List.copyOf(cartoonFiles), facesKnown ? faces : null);
    }

    /** Crops (randomly or centrally) and mirrors one stored image; always draws the same three numbers. */
    private float[] sample(StoredImage s, SplittableRandom random) {
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
}
