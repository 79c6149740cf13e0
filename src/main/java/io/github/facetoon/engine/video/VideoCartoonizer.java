package io.github.facetoon.engine.video;

import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A video's cartoon: every frame through the model at a working size held steady over time ({@link SteadyScale}),
 * brought back to the frame size by the model's guided upsampling, encoded in the input's container with the same
 * frame times, and the sound copied packet for packet. The file is written under a temporary name beside the target
 * and renamed when complete: a cancelled or failed run leaves nothing under the final name.
 */
public final class VideoCartoonizer {

    /**
     * How far a run is.
     *
     * @param frames frames written
     * @param totalFrames frames expected (the container's count or an estimate)
     * @param framesPerSecond frames written per second of wall time
     * @param etaSeconds seconds left at that rate, NaN before the first frame
     */
    public record Progress(long frames, long totalFrames, double framesPerSecond, double etaSeconds) {}

    /** Receives progress, on the thread that runs the video. */
    public interface ProgressListener {
        /**
         * One frame more.
         *
         * @param progress where the run is
         */
        void progress(Progress progress);
    }

    /**
     * A finished (or cancelled) run.
     *
     * @param output the cartoon video, null when cancelled
     * @param frames frames written
     * @param width frame width
     * @param height frame height
     * @param videoFramesPerSecond the video's frame rate
     * @param wallSeconds how long it took
     * @param audioCopied whether the sound was copied
     * @param note what the user should know (sound left out, damaged frames skipped), empty when nothing
     * @param encoder the video encoder used
     * @param cancelled whether it was stopped before the end
     * @param phases where the time went
     */
    public record Result(Path output, long frames, int width, int height, double videoFramesPerSecond,
            double wallSeconds, boolean audioCopied, String note, String encoder, boolean cancelled, Phases phases) {}

    /**
     * Seconds spent in each phase of a run.
     *
     * @param decode reading and decoding frames (and copying the sound)
     * @param faces looking for faces (about twice a second of video)
     * @param network the model at the working size
     * @param upsample resizing to the working size and the guided upsampling back
     * @param encode encoding and writing frames
     */
    public record Phases(double decode, double faces, double network, double upsample, double encode) {
        /** No time measured. */
        public static final Phases NONE = new Phases(0, 0, 0, 0, 0);
    }

    private VideoCartoonizer() {}

    /**
     * Reads what a video holds.
     *
     * @param video the file
     * @return its description
     * @throws IOException when it is not a readable video
     */
    public static VideoInfo probe(Path video) throws IOException {
        try (VideoReader r = new VideoReader(video)) {
            return r.info();
        }
    }

    /**
     * The frame shown at a time (the first frame at or after it), upright, 8-bit BGR; the caller releases it.
     *
     * @param video the file
     * @param seconds the time from the start
     * @return the frame
     * @throws IOException when it cannot be read or has no frame there
     */
    public static Mat frameAt(Path video, double seconds) throws IOException {
        OpenCvRuntime.ensureLoaded();
        try (VideoReader r = new VideoReader(video)) {
            AVStream vs = r.videoStream();
            double tb = av_q2d(vs.time_base());
            long start = r.startIn(vs.time_base());
            if (seconds > 0) {
                r.seek(seconds);
            }
            Mat last = null;
            while (true) {
                VideoReader.Frame f = r.next(null);
                if (f == null) {
                    if (last != null) {
                        return last;
                    }
                    throw new IOException(video.getFileName() + " has no frame at " + String.format("%.2f s", seconds));
                }
                if (last != null) {
                    last.release();
                }
                last = f.bgr();
                if ((f.pts() - start) * tb >= seconds - 1e-6) {
                    return last;
                }
            }
        }
    }

    /**
     * Cartoonizes a video.
     *
     * @param video the input
     * @param out the cartoon video to write (its extension picks the container); must not exist
     * @param maxShortSide the frames' short-side cap, 0 for the video's own size
     * @param strength the model's strength
     * @param model the model
     * @param faces the face finder
     * @param listener progress, or null
     * @param cancelled asked before every frame; true stops the run and deletes what was written
     * @return what was made
     * @throws IOException when the video cannot be read or the cartoon cannot be written
     */
    public static Result run(Path video, Path out, int maxShortSide, double strength, CartoonPipeline.WorkingModel model,
            CartoonPipeline.FaceFinder faces, ProgressListener listener, BooleanSupplier cancelled) throws IOException {
        OpenCvRuntime.ensureLoaded();
        VideoFormats.Container container = VideoFormats.container(out).orElseThrow(() -> new IOException(
                out.getFileName() + ": a cartoon video is written as " + String.join(", ", VideoFormats.EXTENSIONS)));
        if (Files.exists(out)) {
            throw new IOException(out.getFileName() + " exists already: nothing is written over a file");
        }
        long t0 = System.nanoTime();
        Path dir = out.toAbsolutePath().getParent();
        Path part = dir.resolve("." + out.getFileName() + ".part");
        Files.deleteIfExists(part);
        boolean done = false;
        try (VideoReader reader = new VideoReader(video)) {
            VideoInfo info = reader.info();
            AVStream vs = reader.videoStream();
            int[] size = outputSize(info.width(), info.height(), maxShortSide);
            AVRational inTb = copy(vs.time_base());
            AVRational rate = copy(vs.avg_frame_rate().num() > 0 ? vs.avg_frame_rate() : vs.r_frame_rate());
            if (rate.num() <= 0 || rate.den() <= 0) {
                rate = new AVRational().num(25).den(1);
            }
            AVRational outTb = inTb.den() <= 65535 && inTb.num() > 0 ? inTb : av_inv_q(rate);
            long bitRate = Math.max(vs.codecpar().bit_rate(),
                    Math.round(size[0] * (double) size[1] * info.framesPerSecond() * 0.12));
            bitRate = Math.max(500_000, bitRate);
            AVStream audio = reader.audioStream();
            long start = reader.startIn(inTb);
            long audioStart = audio == null ? 0 : reader.startIn(audio.time_base());
            double[] t = new double[5]; // decode, faces, network, upsample, encode
            CartoonPipeline.WorkingModel timed = new CartoonPipeline.WorkingModel() {
                @Override
                public float[][] fit(Mat working, double s) {
                    long n0 = System.nanoTime();
                    try {
                        return model.fit(working, s);
                    } finally {
                        t[2] += (System.nanoTime() - n0) / 1e9;
                    }
                }

                @Override
                public io.github.facetoon.engine.model.ModelScale scale() {
                    return model.scale();
                }
            };
            SteadyScale steady = new SteadyScale(size[0], size[1], model.scale());
            long detectEvery = Math.max(1, Math.round(info.framesPerSecond() / 2));
            long written = 0;
            boolean stopped = false;
            try (VideoWriter writer = new VideoWriter(part, container, size[0], size[1], outTb, rate, bitRate, audio,
                    audioStart)) {
                double tb = av_q2d(inTb);
                while (true) {
                    if (cancelled != null && cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    long n0 = System.nanoTime();
                    VideoReader.Frame f = reader.next(writer::writeAudio);
                    if (f == null) {
                        break;
                    }
                    Mat frame = f.bgr();
                    Mat sized = fit(frame, size);
                    long n1 = System.nanoTime();
                    t[0] += (n1 - n0) / 1e9;
                    Mat cartoon = null;
                    try {
                        double seconds = (f.pts() - start) * tb;
                        if (written % detectEvery == 0 || !steady.ready()) {
                            OptionalDouble iod = CartoonPipeline.findScaled(sized, faces).stream()
                                    .mapToDouble(FaceLandmarks::interOcularDistance).max();
                            steady.observe(seconds, iod);
                        }
                        long n2 = System.nanoTime();
                        t[1] += (n2 - n1) / 1e9;
                        double network = t[2];
                        cartoon = CartoonPipeline.cartoonAt(sized, steady.workingWidth(), steady.workingHeight(),
                                strength, timed);
                        long n3 = System.nanoTime();
                        t[3] += (n3 - n2) / 1e9 - (t[2] - network);
                        writer.write(cartoon, av_rescale_q(f.pts() - start, inTb, outTb));
                        t[4] += (System.nanoTime() - n3) / 1e9;
                    } finally {
                        if (sized != frame) {
                            sized.release();
                        }
                        frame.release();
                        if (cartoon != null) {
                            cartoon.release();
                        }
                    }
                    written++;
                    if (listener != null) {
                        double elapsed = (System.nanoTime() - t0) / 1e9;
                        double fps = written / Math.max(1e-9, elapsed);
                        long total = Math.max(written, info.frameCount());
                        listener.progress(new Progress(written, total, fps, (total - written) / fps));
                    }
                }
                if (stopped) {
                    return new Result(null, written, size[0], size[1], info.framesPerSecond(),
                            (System.nanoTime() - t0) / 1e9, false, "", writer.encoder(), true, phases(t));
                }
                if (written == 0) {
                    throw new IOException(video.getFileName() + " has no frame that can be decoded");
                }
                writer.finish();
                StringBuilder note = new StringBuilder(writer.audioNote());
                if (reader.damagedPackets() > 0) {
                    note.append(note.length() > 0 ? "; " : "").append(reader.damagedPackets())
                            .append(" damaged part(s) of the video were skipped");
                }
                Result result = new Result(out, written, size[0], size[1], info.framesPerSecond(),
                        (System.nanoTime() - t0) / 1e9, writer.copiesAudio(), note.toString(), writer.encoder(), false,
                        phases(t));
                moveInPlace(part, out);
                done = true;
                return result;
            }
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
    }

    private static Phases phases(double[] t) {
        return new Phases(t[0], t[1], t[2], t[3], t[4]);
    }

    /** The output frame size: the video's, or capped on the short side (then even, as the encoders need). */
    static int[] outputSize(int width, int height, int maxShortSide) {
        int shortSide = Math.min(width, height);
        if (maxShortSide <= 0 || shortSide <= maxShortSide) {
            return new int[] {width, height};
        }
        double s = (double) maxShortSide / shortSide;
        return new int[] {Math.max(2, (int) Math.round(width * s / 2) * 2), Math.max(2, (int) Math.round(height * s / 2) * 2)};
    }

    private static Mat fit(Mat frame, int[] size) {
        if (frame.cols() == size[0] && frame.rows() == size[1]) {
            return frame;
        }
        Mat out = new Mat();
        Imgproc.resize(frame, out, new Size(size[0], size[1]), 0, 0,
                size[0] < frame.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return out;
    }

    private static AVRational copy(AVRational q) {
        return new AVRational().num(q.num()).den(q.den());
    }

    private static void moveInPlace(Path part, Path out) throws IOException {
        try {
            Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, out);
        }
    }
}
