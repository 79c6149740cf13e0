package io.github.facetoon.app.cartoonize;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/**
 * Shows a photo and its cartoon: either as one image split by a draggable divider (photo left of it, cartoon
 * right), or side by side. Zoom (wheel, around the pointer) and pan (drag) are shared by both sides, so they
 * stay in step. Optionally draws the face landmarks.
 */
public final class BeforeAfterViewer extends Region {

    /** How the two images are shown. */
    public enum Mode { SPLIT, SIDE_BY_SIDE }

    private static final double MIN_ZOOM = 0.05;
    private static final double MAX_ZOOM = 16;
    private static final double GAP = 6;

    private final ObjectProperty<Image> before = new SimpleObjectProperty<>(this, "before");
    private final ObjectProperty<Image> after = new SimpleObjectProperty<>(this, "after");
    private final ObjectProperty<List<float[]>> landmarks = new SimpleObjectProperty<>(this, "landmarks", List.of());
    private final BooleanProperty showLandmarks = new SimpleBooleanProperty(this, "showLandmarks");
    private final DoubleProperty divider = new SimpleDoubleProperty(this, "divider", 0.5);
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.SPLIT);
    private final ReadOnlyDoubleWrapper zoom = new ReadOnlyDoubleWrapper(this, "zoom", 1);
    private final StringProperty beforeText = new SimpleStringProperty(this, "beforeText", "Before");
    private final StringProperty afterText = new SimpleStringProperty(this, "afterText", "After");

    private final Pane leftPort = new Pane();
    private final Pane rightPort = new Pane();
    private final ImageView leftBefore = new ImageView();
    private final ImageView leftAfter = new ImageView();
    private final Pane afterLayer = new Pane(leftAfter);
    private final Rectangle afterClip = new Rectangle();
    private final ImageView rightAfter = new ImageView();
    private final Canvas leftOverlay = new Canvas();
    private final Canvas rightOverlay = new Canvas();
    private final Region dividerLine = new Region();
    private final Region handle = new Region();
    private final Label beforeTag = new Label();
    private final Label afterTag = new Label();

    private double centerX;
    private double centerY;
    private boolean fitting = true;
    private double dragX;
    private double dragY;

    /** Creates an empty viewer. */
    public BeforeAfterViewer() {
        getStyleClass().add("before-after-viewer");
        createView();
        wire();
    }

    private void createView() {
        for (Pane port : List.of(leftPort, rightPort)) {
            port.getStyleClass().add("viewport");
            Rectangle clip = new Rectangle();
            clip.widthProperty().bind(port.widthProperty());
            clip.heightProperty().bind(port.heightProperty());
            port.setClip(clip);
        }
        afterLayer.setClip(afterClip);
        // Laid out by this viewer, not by the Pane they sit in (which would size them to their preferred size).
        for (Region r : List.of(afterLayer, dividerLine, handle)) {
            r.setManaged(false);
        }
        afterLayer.setMouseTransparent(true);
        leftOverlay.setMouseTransparent(true);
        rightOverlay.setMouseTransparent(true);
        dividerLine.getStyleClass().add("divider-line");
        dividerLine.setMouseTransparent(true);
        handle.getStyleClass().add("divider-handle");
        handle.setCursor(Cursor.H_RESIZE);
        beforeTag.getStyleClass().addAll("image-tag", "before-tag");
        afterTag.getStyleClass().addAll("image-tag", "after-tag");
        beforeTag.textProperty().bind(beforeText);
        afterTag.textProperty().bind(afterText);
        beforeTag.setMouseTransparent(true);
        afterTag.setMouseTransparent(true);
        beforeTag.setAlignment(Pos.CENTER);
        leftPort.getChildren().addAll(leftBefore, afterLayer, leftOverlay, dividerLine, handle);
        rightPort.getChildren().addAll(rightAfter, rightOverlay);
        getChildren().addAll(leftPort, rightPort, beforeTag, afterTag);
        for (ImageView v : List.of(leftBefore, leftAfter, rightAfter)) {
            v.setPreserveRatio(false);
            v.setSmooth(true);
        }
    }

    private void wire() {
        leftBefore.imageProperty().bind(before);
        leftAfter.imageProperty().bind(after);
        rightAfter.imageProperty().bind(after);
        before.addListener((obs, old, now) -> {
            if (old == null || now == null || old.getWidth() != now.getWidth() || old.getHeight() != now.getHeight()) {
                fitting = true;
            }
            requestLayout();
        });
        after.addListener(obs -> requestLayout());
        landmarks.addListener(obs -> requestLayout());
        showLandmarks.addListener(obs -> requestLayout());
        divider.addListener(obs -> requestLayout());
        mode.addListener(obs -> requestLayout());

        handle.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            handle.requestFocus();
            e.consume();
        });
        // The divider also moves with the arrow keys once the handle has focus (Tab reaches it).
        handle.setFocusTraversable(true);
        handle.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            double step = e.isShiftDown() ? 0.1 : 0.02;
            if (e.getCode() == javafx.scene.input.KeyCode.LEFT) {
                setDivider(divider.get() - step);
                e.consume();
            } else if (e.getCode() == javafx.scene.input.KeyCode.RIGHT) {
                setDivider(divider.get() + step);
                e.consume();
            }
        });
        handle.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            double x = leftPort.sceneToLocal(e.getSceneX(), e.getSceneY()).getX();
            setDivider(x / Math.max(1, leftPort.getWidth()));
            e.consume();
        });
        for (Pane port : List.of(leftPort, rightPort)) {
            port.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
                dragX = e.getX();
                dragY = e.getY();
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    if (fitting) {
                        actualSize();
                    } else {
                        fit();
                    }
                }
            });
            port.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
                panBy(e.getX() - dragX, e.getY() - dragY);
                dragX = e.getX();
                dragY = e.getY();
            });
            port.addEventHandler(ScrollEvent.SCROLL, e -> {
                if (e.getDeltaY() != 0) {
                    zoomAt(zoom.get() * Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY(), port);
                    e.consume();
                }
            });
        }
    }

    // ---- Properties ----

    /** The photo. */
    public ObjectProperty<Image> beforeProperty() {
        return before;
    }

    /** The cartoon (same size as the photo). */
    public ObjectProperty<Image> afterProperty() {
        return after;
    }

    /** Face landmarks in photo pixels (x0,y0,x1,y1,... per face). */
    public ObjectProperty<List<float[]>> landmarksProperty() {
        return landmarks;
    }

    /** Whether the landmarks are drawn. */
    public BooleanProperty showLandmarksProperty() {
        return showLandmarks;
    }

    /** The divider's position in the split mode, 0 (all cartoon) to 1 (all photo). */
    public DoubleProperty dividerProperty() {
        return divider;
    }

    /** Split or side by side. */
    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    /** Screen pixels per image pixel. */
    public ReadOnlyDoubleProperty zoomProperty() {
        return zoom.getReadOnlyProperty();
    }

    /** The label over the photo. */
    public StringProperty beforeTextProperty() {
        return beforeText;
    }

    /** The label over the cartoon. */
    public StringProperty afterTextProperty() {
        return afterText;
    }

    /** The divider handle (for tests and keyboard focus). */
    public Region dividerHandle() {
        return handle;
    }

    // ---- Commands ----

    /**
     * Moves the divider.
     *
     * @param position 0..1 (clamped)
     */
    public void setDivider(double position) {
        divider.set(Math.max(0, Math.min(1, position)));
    }

    /** Fits the whole image into the view (and keeps fitting when the window resizes). */
    public void fit() {
        fitting = true;
        requestLayout();
    }

    /** Shows the image at 100 % (one image pixel per screen pixel), centred where it is. */
    public void actualSize() {
        Image img = before.get();
        if (img == null) {
            return;
        }
        ensureCenter(img);
        fitting = false;
        zoom.set(1);
        requestLayout();
    }

    /** Zooms in around the centre. */
    public void zoomIn() {
        zoomAt(zoom.get() * 1.25, leftPort.getWidth() / 2, leftPort.getHeight() / 2, leftPort);
    }

    /** Zooms out around the centre. */
    public void zoomOut() {
        zoomAt(zoom.get() / 1.25, leftPort.getWidth() / 2, leftPort.getHeight() / 2, leftPort);
    }

    private void zoomAt(double requested, double px, double py, Pane port) {
        Image img = before.get();
        if (img == null) {
            return;
        }
        ensureCenter(img);
        double z = zoom.get();
        double next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, requested));
        // Keep the image point under the pointer where it is.
        double ix = centerX + (px - port.getWidth() / 2) / z;
        double iy = centerY + (py - port.getHeight() / 2) / z;
        centerX = ix - (px - port.getWidth() / 2) / next;
        centerY = iy - (py - port.getHeight() / 2) / next;
        fitting = false;
        zoom.set(next);
        requestLayout();
    }

    private void panBy(double dx, double dy) {
        Image img = before.get();
        if (img == null) {
            return;
        }
        ensureCenter(img);
        fitting = false;
        centerX = clamp(centerX - dx / zoom.get(), 0, img.getWidth());
        centerY = clamp(centerY - dy / zoom.get(), 0, img.getHeight());
        requestLayout();
    }

    private void ensureCenter(Image img) {
        if (fitting) {
            centerX = img.getWidth() / 2;
            centerY = img.getHeight() / 2;
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        boolean split = mode.get() == Mode.SPLIT;
        double portW = split ? w : Math.max(0, (w - GAP) / 2);
        leftPort.resizeRelocate(0, 0, portW, h);
        rightPort.setVisible(!split);
        rightPort.resizeRelocate(split ? w : portW + GAP, 0, split ? 0 : portW, h);
        afterLayer.setVisible(split);
        dividerLine.setVisible(split && after.get() != null);
        handle.setVisible(split && after.get() != null);
        afterTag.setVisible(after.get() != null);
        beforeTag.setVisible(before.get() != null);

        Image img = before.get();
        if (img != null && portW > 0 && h > 0) {
            if (fitting) {
                zoom.set(Math.max(MIN_ZOOM, Math.min(portW / img.getWidth(), h / img.getHeight())));
                centerX = img.getWidth() / 2;
                centerY = img.getHeight() / 2;
            }
            double z = zoom.get();
            double x = Math.round(portW / 2 - centerX * z);
            double y = Math.round(h / 2 - centerY * z);
            boolean pixelated = z >= 2;
            for (ImageView v : List.of(leftBefore, leftAfter, rightAfter)) {
                v.setFitWidth(img.getWidth() * z);
                v.setFitHeight(img.getHeight() * z);
                v.relocate(x, y);
                v.setSmooth(!pixelated);
            }
            afterLayer.resizeRelocate(0, 0, portW, h);
            double dx = Math.round(divider.get() * portW);
            afterClip.setX(split ? dx : 0);
            afterClip.setWidth(split ? Math.max(0, portW - dx) : portW);
            afterClip.setHeight(h);
            dividerLine.resizeRelocate(dx - 1, 0, 2, h);
            double hs = 28;
            handle.resizeRelocate(dx - hs / 2, h / 2 - hs / 2, hs, hs);
            drawLandmarks(leftOverlay, portW, h, x, y, z);
            drawLandmarks(rightOverlay, split ? 0 : portW, h, x, y, z);
        } else {
            drawLandmarks(leftOverlay, 0, 0, 0, 0, 1);
            drawLandmarks(rightOverlay, 0, 0, 0, 0, 1);
        }
        beforeTag.autosize();
        afterTag.autosize();
        beforeTag.relocate(10, 10);
        afterTag.relocate(w - afterTag.getWidth() - 10, 10);
    }

    private void drawLandmarks(Canvas canvas, double w, double h, double x, double y, double z) {
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        if (!showLandmarks.get() || landmarks.get() == null || w <= 0) {
            return;
        }
        double r = Math.max(1.5, Math.min(3.5, 1.2 * z));
        for (float[] face : landmarks.get()) {
            for (int i = 0; i + 1 < face.length; i += 2) {
                double px = x + face[i] * z;
                double py = y + face[i + 1] * z;
                g.setFill(Color.rgb(0, 0, 0, 0.55));
                g.fillOval(px - r - 1, py - r - 1, 2 * r + 2, 2 * r + 2);
                g.setFill(Color.rgb(80, 230, 255));
                g.fillOval(px - r, py - r, 2 * r, 2 * r);
            }
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    protected double computePrefWidth(double height) {
        return 640;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 480;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 100;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 100;
    }
}
