package io.github.facetoon.engine.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of one run folder ({@code <workspace>/runs/<model_version>/}): naming, listing, the newest
 * one that loads, and retention.
 *
 * <p>Names follow the seed's {@code gen{version}_batch_{iteration}.pth} idea as {@code iter-00000500.ftc}, so
 * {@code test --model_version V --batch 500} finds {@code runs/V/iter-00000500.ftc}.
 */
public final class CheckpointStore {

    private static final Pattern NAME = Pattern.compile("iter-(\\d{8})\\" + CheckpointFile.SUFFIX);

    private final Path folder;
    private final int keepLast;
    private final int keepEvery;

    /**
     * Creates the store.
     *
     * @param folder the run folder
     * @param keepLast how many of the newest checkpoints to keep
     * @param keepEvery older checkpoints at multiples of this iteration are kept too (0: none; the start, 0, is not one)
     */
    public CheckpointStore(Path folder, int keepLast, int keepEvery) {
        this.folder = folder;
        this.keepLast = Math.max(1, keepLast);
        this.keepEvery = Math.max(0, keepEvery);
    }

    /** The run folder. */
    public Path folder() {
        return folder;
    }

    /**
     * The file name of a checkpoint.
     *
     * @param iteration its iteration
     * @return the path in the run folder
     */
    public Path pathFor(int iteration) {
        return folder.resolve(String.format("iter-%08d%s", iteration, CheckpointFile.SUFFIX));
    }

    /**
     * The iteration a checkpoint file name encodes.
     *
     * @param file the file
     * @return the iteration, or empty when the name is not a checkpoint name
     */
    public static Optional<Integer> iterationOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * Lists the checkpoint files, newest (highest iteration) first.
     *
     * @return the files; empty when the folder does not exist
     * @throws IOException when the folder cannot be listed
     */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                if (iterationOf(p).isPresent() && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing((Path p) -> iterationOf(p).orElse(-1)).reversed());
        return out;
    }

    /**
     * Finds the newest checkpoint that reads and verifies; damaged ones are skipped (and reported).
     *
     * @param skipped receives a message for each damaged checkpoint passed over
     * @return the newest good checkpoint's path and content, or empty
     * @throws IOException when the folder cannot be listed
     */
    public Optional<Loaded> newestGood(java.util.function.Consumer<String> skipped) throws IOException {
        for (Path p : list()) {
            try {
                return Optional.of(new Loaded(p, CheckpointFile.read(p)));
            } catch (CheckpointException e) {
                skipped.accept(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * A checkpoint read from disk.
     *
     * @param path its file
     * @param file its content
     */
    public record Loaded(Path path, CheckpointFile file) {}

    /**
     * Deletes temporary files left by a crash during a save.
     *
     * @return how many were deleted
     * @throws IOException when the folder cannot be listed
     */
    public int cleanTemporaryFiles() throws IOException {
        int n = 0;
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, CheckpointFile.TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        return n;
    }

    /**
     * Deletes old checkpoints beyond the retention policy; the newest {@code keepLast} always stay.
     *
     * @throws IOException when a file cannot be deleted
     */
    public void prune() throws IOException {
        List<Path> all = list();
        for (int i = keepLast; i < all.size(); i++) {
            int it = iterationOf(all.get(i)).orElse(0);
            if (keepEvery > 0 && it > 0 && it % keepEvery == 0) {
                continue;
            }
            Files.deleteIfExists(all.get(i));
        }
    }
}
