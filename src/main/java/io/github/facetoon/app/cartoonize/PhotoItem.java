package io.github.facetoon.app.cartoonize;

import io.github.facetoon.engine.CartoonResult;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One photo (or video) in the Cartoonize list: its file, its state and, when done, its cartoon or its error. A video
 * shows the cartoon of one frame, the one at {@link #videoSecondsProperty()}.
 */
public final class PhotoItem {

    /** Where the photo is in its life. */
    public enum Status { QUEUED, WORKING, DONE, FAILED }

    private final Path file;
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.QUEUED);
    private final ReadOnlyObjectWrapper<CartoonResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final boolean video;
    private final ReadOnlyObjectWrapper<io.github.facetoon.engine.video.VideoInfo> videoInfo =
            new ReadOnlyObjectWrapper<>(this, "videoInfo");
    private final javafx.beans.property.ReadOnlyDoubleWrapper videoSeconds =
            new javafx.beans.property.ReadOnlyDoubleWrapper(this, "videoSeconds", 0);

    /**
     * Creates a queued item.
     *
     * @param file the photo
     */
    public PhotoItem(Path file) {
        this.file = file;
        this.video = io.github.facetoon.engine.video.VideoFormats.isVideo(file);
    }

    /** Whether this is a video (its cartoon is made by the video job; the list shows one frame). */
    public boolean isVideo() {
        return video;
    }

    /** What the video holds (size, rate, duration), once read; null for a photo. */
    public ReadOnlyObjectProperty<io.github.facetoon.engine.video.VideoInfo> videoInfoProperty() {
        return videoInfo.getReadOnlyProperty();
    }

    /** The time of the video frame shown. */
    public javafx.beans.property.ReadOnlyDoubleProperty videoSecondsProperty() {
        return videoSeconds.getReadOnlyProperty();
    }

    void setVideoInfo(io.github.facetoon.engine.video.VideoInfo info) {
        videoInfo.set(info);
    }

    void setVideoSeconds(double seconds) {
        videoSeconds.set(seconds);
    }

    /** The photo file. */
    public Path file() {
        return file;
    }

    /** The file name, for lists. */
    public String name() {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    /** The state. */
    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Returns the state. */
    public Status getStatus() {
        return status.get();
    }

    /** The cartoon, once done. */
    public ReadOnlyObjectProperty<CartoonResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Returns the cartoon, or null. */
    public CartoonResult getResult() {
        return result.get();
    }

    /** Why it failed, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Returns why it failed, or null. */
    public String getError() {
        return error.get();
    }

    void markWorking() {
        status.set(Status.WORKING);
        error.set(null);
    }

    void markQueued() {
        status.set(Status.QUEUED);
    }

    void complete(CartoonResult r) {
        result.set(r);
        error.set(null);
        status.set(Status.DONE);
    }

    /** Drops the pixels to save memory; the photo is cartoonized again when it is needed. */
    void evict() {
        result.set(null);
    }

    /** True when the photo was done but its pixels were dropped. */
    boolean isEvicted() {
        return status.get() == Status.DONE && result.get() == null;
    }

    void fail(String message) {
        // never a cartoon of another model (or size, or strength) under the error
        result.set(null);
        error.set(message);
        status.set(Status.FAILED);
    }

    @Override
    public String toString() {
        return name();
    }
}
