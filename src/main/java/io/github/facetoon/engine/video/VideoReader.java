package io.github.facetoon.engine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Decodes a video's frames as 8-bit BGR images, turned upright by the file's display rotation, and hands its audio
 * packets (undecoded) to whoever copies them. Not thread-safe; close it.
 */
final class VideoReader implements AutoCloseable {

    /** A decoded frame: the image (the caller releases it) and its time in the video stream's time base. */
    record Frame(Mat bgr, long pts) {}

    /** Receives the audio packets met while reading video frames. */
    interface AudioSink {
        /**
         * Takes one packet (valid only during the call).
         *
         * @param packet the packet, in the audio stream's time base
         * @throws IOException when it cannot be written
         */
        void accept(AVPacket packet) throws IOException;
    }

    private final Path file;
    private AVFormatContext fmt;
    private AVCodecContext dec;
    private final AVPacket packet;
    private final AVFrame frame;
    private final AVFrame bgr;
    private SwsContext sws;
    private final int videoIndex;
    private final int audioIndex;
    private final int codedWidth;
    private final int codedHeight;
    private final int rotation;
    private final VideoInfo info;
    private boolean flushing;
    private long lastPts = AV_NOPTS_VALUE;
    private int damagedPackets;
    private byte[] row;

    VideoReader(Path file) throws IOException {
        Av.load();
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new IOException(file.getFileName() + ": no such file");
        }
        AVFormatContext f = new AVFormatContext(null);
        int r = avformat_open_input(f, file.toAbsolutePath().toString(), null, null);
        if (r < 0) {
            throw new IOException(file.getFileName() + " is not a video FaceToon can read (" + Av.message(r) + ")");
        }
        this.fmt = f;
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        bgr = av_frame_alloc();
        try {
            Av.check(avformat_find_stream_info(fmt, (AVDictionary) null), file.getFileName() + " cannot be read");
            videoIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (videoIndex < 0) {
                throw new IOException(file.getFileName() + " has no video track");
            }
            int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, videoIndex, (AVCodec) null, 0);
            audioIndex = a >= 0 ? a : -1;
            AVStream vs = fmt.streams(videoIndex);
            AVCodecParameters par = vs.codecpar();
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null) {
                throw new IOException(file.getFileName() + ": its video codec (" + codecName(par.codec_id())
                        + ") cannot be decoded");
            }
            dec = avcodec_alloc_context3(codec);
            Av.check(avcodec_parameters_to_context(dec, par), file.getFileName() + " cannot be decoded");
            dec.thread_count(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            Av.check(avcodec_open2(dec, codec, (AVDictionary) null), file.getFileName() + ": the "
                    + codecName(par.codec_id()) + " decoder does not open");
            codedWidth = par.width();
            codedHeight = par.height();
            if (codedWidth <= 0 || codedHeight <= 0) {
                throw new IOException(file.getFileName() + " has no frame size");
            }
            if ((long) codedWidth * codedHeight > 8192L * 8192L) {
                throw new IOException(file.getFileName() + " has frames of " + codedWidth + " × " + codedHeight
                        + " pixels, more than FaceToon handles (8192 × 8192)");
            }
            rotation = displayRotation(par);
            bgr.format(AV_PIX_FMT_BGR24);
            bgr.width(codedWidth);
            bgr.height(codedHeight);
            Av.check(av_frame_get_buffer(bgr, 1), "no memory for a frame");
            boolean turned = rotation == 90 || rotation == 270;
            double fps = frameRate(vs);
            double duration = vs.duration() != AV_NOPTS_VALUE && vs.duration() > 0
                    ? vs.duration() * av_q2d(vs.time_base())
                    : fmt.duration() != AV_NOPTS_VALUE && fmt.duration() > 0 ? fmt.duration() / (double) AV_TIME_BASE : 0;
            long frames = vs.nb_frames() > 0 ? vs.nb_frames() : Math.max(1, Math.round(duration * fps));
            info = new VideoInfo(turned ? codedHeight : codedWidth, turned ? codedWidth : codedHeight, fps, frames,
                    duration, codecName(par.codec_id()),
                    audioIndex < 0 ? "" : codecName(fmt.streams(audioIndex).codecpar().codec_id()), rotation);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    VideoInfo info() {
        return info;
    }

    AVStream videoStream() {
        return fmt.streams(videoIndex);
    }

    /** The audio stream, or null without one. */
    AVStream audioStream() {
        return audioIndex < 0 ? null : fmt.streams(audioIndex);
    }

    /** The container's start time in a stream's time base (0 when unknown). */
    long startIn(AVRational timeBase) {
        long st = fmt.start_time();
        if (st == AV_NOPTS_VALUE) {
            return 0;
        }
        AVRational q = new AVRational().num(1).den(AV_TIME_BASE);
        return av_rescale_q(st, q, timeBase);
    }

    /** Packets the decoder refused as damaged so far (their frames are skipped). */
    int damagedPackets() {
        return damagedPackets;
    }

    /**
     * Seeks to the key frame at or before a time; the next {@link #next} returns frames from there.
     *
     * @param seconds the time from the start
     * @throws IOException when the file cannot seek
     */
    void seek(double seconds) throws IOException {
        AVStream vs = videoStream();
        long ts = startIn(vs.time_base()) + Math.round(seconds / av_q2d(vs.time_base()));
        Av.check(av_seek_frame(fmt, videoIndex, ts, AVSEEK_FLAG_BACKWARD), file.getFileName() + " cannot seek");
        avcodec_flush_buffers(dec);
        flushing = false;
        lastPts = AV_NOPTS_VALUE;
    }

    /**
     * The next video frame.
     *
     * @param audio where audio packets go, or null to skip them
     * @return the frame, or null at the end
     * @throws IOException on a read error
     */
    Frame next(AudioSink audio) throws IOException {
        while (true) {
            int r = avcodec_receive_frame(dec, frame);
            if (r == 0) {
                try {
                    return convert();
                } finally {
                    av_frame_unref(frame);
                }
            }
            if (r == AVERROR_EOF()) {
                return null;
            }
            if (r != Av.EAGAIN) {
                // A frame the decoder cannot make: counted and skipped, as players do.
                damagedPackets++;
                continue;
            }
            if (flushing) {
                return null;
            }
            r = av_read_frame(fmt, packet);
            if (r < 0) {
                if (r != AVERROR_EOF() && r != Av.EAGAIN) {
                    damagedPackets++;
                }
                avcodec_send_packet(dec, null);
                flushing = true;
                continue;
            }
            try {
                if (packet.stream_index() == videoIndex) {
                    int s = avcodec_send_packet(dec, packet);
                    if (s < 0 && s != Av.EAGAIN) {
                        damagedPackets++;
                    }
                } else if (packet.stream_index() == audioIndex && audio != null) {
                    audio.accept(packet);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private Frame convert() throws IOException {
        long pts = frame.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) {
            pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + 1;
        }
        lastPts = pts;
        sws = sws_getCachedContext(sws, frame.width(), frame.height(), frame.format(), codedWidth, codedHeight,
                AV_PIX_FMT_BGR24, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (DoublePointer) null);
        if (sws == null) {
            throw new IOException(file.getFileName() + ": its frames (pixel format " + frame.format()
                    + ") cannot be converted");
        }
        Av.check(av_frame_make_writable(bgr), "no memory for a frame");
        sws_scale(sws, frame.data(), frame.linesize(), 0, frame.height(), bgr.data(), bgr.linesize());
        Mat m = new Mat(codedHeight, codedWidth, CvType.CV_8UC3);
        int rowBytes = codedWidth * 3;
        BytePointer data = bgr.data(0);
        int stride = bgr.linesize(0);
        if (row == null || row.length != rowBytes * codedHeight) {
            row = new byte[rowBytes * codedHeight];
        }
        if (stride == rowBytes) {
            data.position(0).get(row, 0, rowBytes * codedHeight);
        } else {
            for (int y = 0; y < codedHeight; y++) {
                data.position((long) y * stride).get(row, y * rowBytes, rowBytes);
            }
        }
        data.position(0);
        m.put(0, 0, row);
        return new Frame(upright(m), pts);
    }

    private Mat upright(Mat m) {
        int code = switch (rotation) {
            case 90 -> Core.ROTATE_90_CLOCKWISE;
            case 180 -> Core.ROTATE_180;
            case 270 -> Core.ROTATE_90_COUNTERCLOCKWISE;
            default -> -1;
        };
        if (code < 0) {
            return m;
        }
        Mat out = new Mat();
        Core.rotate(m, out, code);
        m.release();
        return out;
    }

    /** The clockwise rotation a player applies to show the frames upright (0, 90, 180 or 270). */
    private static int displayRotation(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 36) {
            return 0;
        }
        double ccw = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        int cw = (int) Math.round(-ccw);
        cw = ((cw % 360) + 360) % 360;
        return (cw + 45) / 90 % 4 * 90;
    }

    static double frameRate(AVStream vs) {
        AVRational r = vs.avg_frame_rate();
        if (r.num() > 0 && r.den() > 0) {
            return av_q2d(r);
        }
        r = vs.r_frame_rate();
        return r.num() > 0 && r.den() > 0 ? av_q2d(r) : 25;
    }

    static String codecName(int id) {
        BytePointer p = avcodec_get_name(id);
        return p == null ? "unknown" : p.getString();
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
        if (fmt != null) {
            avformat_close_input(fmt);
            fmt = null;
        }
        av_frame_free(frame);
        av_frame_free(bgr);
        av_packet_free(packet);
    }
}
