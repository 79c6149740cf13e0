package io.github.facetoon.app.train;

import io.github.facetoon.app.common.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One training data folder: its image count, a sample of thumbnails and the files that will be skipped. The
 * folder is scanned on a background thread; a newer folder choice makes an older scan's result stale.
 */
public final class DatasetViewModel {

    /** Thumbnails shown per folder. */
    static final int THUMBNAILS = 12;

    /**
     * A file the training will skip.
     *
     * @param file the file
     * @param reason why
     */
    public record BadFile(Path file, String reason) {
        @Override
        public String toString() {
            return file.getFileName() + ": " + reason;
        }
    }

    private final Executor background;
    private final Executor ui;
    private final AtomicInteger generation = new AtomicInteger();

    // ---- Properties ----
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final ReadOnlyIntegerWrapper count = new ReadOnlyIntegerWrapper(this, "count");
    private final ReadOnlyBooleanWrapper scanning = new ReadOnlyBooleanWrapper(this, "scanning");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ObservableList<Path> thumbnails = FXCollections.observableArrayList();
    private final ObservableList<BadFile> badFiles = FXCollections.observableArrayList();

    /**
     * Creates the model.
     *
     * @param background runs the folder scan
     * @param ui runs property updates
     */
    public DatasetViewModel(Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
        folder.addListener((obs, old, now) -> scan(now));
    }

    /** The chosen folder (null for none); setting it starts a scan. */
    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    /** Returns the chosen folder, or null. */
    public Path getFolder() {
        return folder.get();
    }

    /** The number of usable images found. */
    public ReadOnlyIntegerProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** True while the folder is being scanned. */
    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning.getReadOnlyProperty();
    }

    /** Why the folder could not be read, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A sample of the images, spread over the folder, for the thumbnail strip. */
    public ObservableList<Path> thumbnails() {
        return thumbnails;
    }

    /** Files that will be skipped, with reasons. */
    public ObservableList<BadFile> badFiles() {
        return badFiles;
    }

    // ---- Commands ----

    /**
     * Reports a file found broken later (a thumbnail that failed to decode, a problem from the engine).
     *
     * @param file the file
     * @param reason why
     */
    public void reportBadFile(Path file, String reason) {
        if (badFiles.stream().noneMatch(b -> b.file().equals(file))) {
            badFiles.add(new BadFile(file, reason));
            thumbnails.remove(file);
        }
    }

    /** Scans the folder again. */
    public void rescan() {
        scan(folder.get());
    }

    private void scan(Path dir) {
        int gen = generation.incrementAndGet();
        thumbnails.clear();
        badFiles.clear();
        error.set(null);
        count.set(0);
        if (dir == null) {
            scanning.set(false);
            return;
        }
        scanning.set(true);
        background.execute(() -> {
            List<Path> good = new ArrayList<>();
            List<BadFile> bad = new ArrayList<>();
            String problem = null;
            try {
                if (!Files.isDirectory(dir)) {
                    problem = "not a folder: " + dir;
                } else {
                    for (Path p : ImageFiles.imagesIn(dir)) {
                        String why = ImageFiles.headerProblem(p);
                        if (why == null) {
                            good.add(p);
                        } else {
                            bad.add(new BadFile(p, why));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                problem = "cannot read " + dir + ": " + e.getMessage();
            }
            List<Path> sample = spread(good, THUMBNAILS);
            String finalProblem = problem;
            ui.execute(() -> {
                if (gen != generation.get()) {
                    return; // a newer folder was chosen meanwhile
                }
                count.set(good.size());
                thumbnails.setAll(sample);
                badFiles.setAll(bad);
                error.set(finalProblem);
                scanning.set(false);
            });
        });
    }

    private static List<Path> spread(List<Path> all, int n) {
        if (all.size() <= n) {
            return List.copyOf(all);
        }
        List<Path> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get((int) ((long) i * all.size() / n)));
        }
        return out;
    }
}
