package io.github.facetoon.engine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.opencv.core.Mat;

/**
 * Encodes BGR frames into a container (the encoder chosen by {@link VideoFormats}) and copies the packets of an
 * audio stream into it unchanged. {@link #finish} writes the trailer; {@link #close} alone leaves an incomplete file
 * (which the caller deletes). Not thread-safe.
 */
final class VideoWriter implements AutoCloseable {

    private AVFormatContext oc;
    private AVCodecContext enc;
    private final AVStream videoOut;
    private final AVStream audioOut;
    private final AVRational audioInTimeBase;
    private final long audioStart;
    private final AVFrame bgr;
    private final AVFrame yuv;
    private final AVPacket packet;
    private SwsContext sws;
    private final int width;
    private final int height;
    private final String encoderName;
    private final String audioNote;
    private long lastPts = Long.MIN_VALUE;
    private byte[] row;

    /**
     * Opens the output.
     *
     * @param file where to write (any name: the container is given)
     * @param container the container and its encoders
     * @param width frame width
     * @param height frame height
     * @param timeBase the time base of the pts given to {@link #write}
     * @param frameRate the frame rate (for the encoder's rate control)
     * @param bitRate the target bit rate, bits per second
     * @param audioIn the audio stream to copy, or null
     * @param audioStart the audio stream's start, subtracted from its packets' times (audio time base)
     * @throws IOException when no encoder opens or the file cannot be created
     */
    VideoWriter(Path file, VideoFormats.Container container, int width, int height, AVRational timeBase,
            AVRational frameRate, long bitRate, AVStream audioIn, long audioStart) throws IOException {
        Av.load();
        this.width = width;
        this.height = height;
        packet = av_packet_alloc();
        bgr = av_frame_alloc();
        yuv = av_frame_alloc();
        AVFormatContext o = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(o, null, container.muxer(), file.toString()),
                "cannot write a ." + container.extension() + " file");
        oc = o;
        try {
            int pixFmt = "bgr8".equals(container.pixelFormat()) ? AV_PIX_FMT_BGR8 : AV_PIX_FMT_YUV420P;
            String opened = null;
            String lastError = "no encoder for ." + container.extension();
            for (String name : container.encoders()) {
                AVCodec codec = avcodec_find_encoder_by_name(name);
                if (codec == null) {
                    continue;
                }
                AVCodecContext c = avcodec_alloc_context3(codec);
                c.width(width);
                c.height(height);
                c.pix_fmt(pixFmt);
                c.time_base(timeBase);
                c.framerate(frameRate);
                if (!"gif".equals(name)) {
                    c.bit_rate(bitRate);
                    c.gop_size(Math.max(1, (int) Math.round(2 * av_q2d(frameRate))));
                }
                c.thread_count(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
                if ((o.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                    c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
                }
                AVDictionary opts = new AVDictionary(null);
                if (name.startsWith("libvpx")) {
                    av_dict_set(opts, "deadline", "good", 0);
                    av_dict_set(opts, "cpu-used", "4", 0);
                }
                int r = avcodec_open2(c, codec, opts);
                av_dict_free(opts);
                if (r >= 0) {
                    enc = c;
                    opened = name;
                    break;
                }
                lastError = name + ": " + Av.message(r);
                avcodec_free_context(c);
            }
            if (enc == null) {
                throw new IOException("cannot encode a " + width + " × " + height + " video as ." + container.extension()
                        + " (" + lastError + ")");
            }
            encoderName = opened;
            videoOut = avformat_new_stream(oc, null);
            Av.check(avcodec_parameters_from_context(videoOut.codecpar(), enc), "cannot set up the video track");
            videoOut.time_base(enc.time_base());
            videoOut.avg_frame_rate(frameRate);
            String note = "";
            AVStream aOut = null;
            if (audioIn != null) {
                int id = audioIn.codecpar().codec_id();
                if (avformat_query_codec(oc.oformat(), id, FF_COMPLIANCE_NORMAL) == 1) {
                    aOut = avformat_new_stream(oc, null);
                    Av.check(avcodec_parameters_copy(aOut.codecpar(), audioIn.codecpar()), "cannot copy the audio track");
                    aOut.codecpar().codec_tag(0);
                    aOut.time_base(audioIn.time_base());
                } else {
                    note = "the sound (" + VideoReader.codecName(id) + ") cannot go into a ." + container.extension()
                            + " file: the cartoon is silent";
                }
            }
            audioOut = aOut;
            audioInTimeBase = audioIn == null ? null : new AVRational().num(audioIn.time_base().num())
                    .den(audioIn.time_base().den());
            this.audioStart = audioStart;
            audioNote = note;
            if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                Av.check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "cannot create " + file.getFileName());
                oc.pb(pb);
            }
            Av.check(avformat_write_header(oc, (AVDictionary) null), "cannot start the ." + container.extension() + " file");
            bgr.format(AV_PIX_FMT_BGR24);
            bgr.width(width);
            bgr.height(height);
            Av.check(av_frame_get_buffer(bgr, 1), "no memory for a frame");
            yuv.format(pixFmt);
            yuv.width(width);
            yuv.height(height);
            Av.check(av_frame_get_buffer(yuv, 0), "no memory for a frame");
            sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, pixFmt,
                    SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (DoublePointer) null);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The encoder in use (e.g. libopenh264). */
    String encoder() {
        return encoderName;
    }

    /** Why the sound was left out, empty when it is copied or there is none. */
    String audioNote() {
        return audioNote;
    }

    /** Whether an audio track is being copied. */
    boolean copiesAudio() {
        return audioOut != null;
    }

    /**
     * Encodes one frame.
     *
     * @param frame 8-bit BGR, {@code width × height}
     * @param pts its time in the writer's time base; made strictly increasing
     * @throws IOException when encoding or writing fails
     */
    void write(Mat frame, long pts) throws IOException {
        if (frame.cols() != width || frame.rows() != height) {
            throw new IllegalArgumentException("frame " + frame.cols() + "x" + frame.rows() + ", expected " + width + "x"
                    + height);
        }
        int rowBytes = width * 3;
        if (row == null) {
            row = new byte[rowBytes * height];
        }
        Mat m = frame.isContinuous() ? frame : frame.clone();
        m.get(0, 0, row);
        if (m != frame) {
            m.release();
        }
        Av.check(av_frame_make_writable(bgr), "no memory for a frame");
        BytePointer data = bgr.data(0);
        int stride = bgr.linesize(0);
        for (int y = 0; y < height; y++) {
            data.position((long) y * stride).put(row, y * rowBytes, rowBytes);
        }
        data.position(0);
        Av.check(av_frame_make_writable(yuv), "no memory for a frame");
        sws_scale(sws, bgr.data(), bgr.linesize(), 0, height, yuv.data(), yuv.linesize());
        long p = lastPts == Long.MIN_VALUE ? pts : Math.max(pts, lastPts + 1);
        lastPts = p;
        yuv.pts(p);
        Av.check(avcodec_send_frame(enc, yuv), "cannot encode a frame");
        drain();
    }

    /**
     * Copies one audio packet.
     *
     * @param in the packet, in the input audio stream's time base
     * @throws IOException when writing fails
     */
    void writeAudio(AVPacket in) throws IOException {
        if (audioOut == null) {
            return;
        }
        if (in.pts() != AV_NOPTS_VALUE) {
            in.pts(in.pts() - audioStart);
        }
        if (in.dts() != AV_NOPTS_VALUE) {
            in.dts(in.dts() - audioStart);
        }
        if (in.dts() != AV_NOPTS_VALUE && in.dts() < 0) {
            return; // before the video's start
        }
        av_packet_rescale_ts(in, audioInTimeBase, audioOut.time_base());
        in.stream_index(audioOut.index());
        in.pos(-1);
        Av.check(av_interleaved_write_frame(oc, in), "cannot write the sound");
    }

    private void drain() throws IOException {
        while (true) {
            int r = avcodec_receive_packet(enc, packet);
            if (r == Av.EAGAIN || r == AVERROR_EOF()) {
                return;
            }
            Av.check(r, "cannot encode a frame");
            av_packet_rescale_ts(packet, enc.time_base(), videoOut.time_base());
            packet.stream_index(videoOut.index());
            Av.check(av_interleaved_write_frame(oc, packet), "cannot write a frame");
        }
    }

    /**
     * Flushes the encoder and writes the trailer: the file is complete.
     *
     * @throws IOException when writing fails
     */
    void finish() throws IOException {
        Av.check(avcodec_send_frame(enc, null), "cannot finish the video");
        drain();
        Av.check(av_write_trailer(oc), "cannot finish the video");
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (enc != null) {
            avcodec_free_context(enc);
            enc = null;
        }
        if (oc != null) {
            AVIOContext pb = oc.pb();
            if (pb != null && !pb.isNull() && (oc.oformat().flags() & AVFMT_NOFILE) == 0) {
                avio_closep(pb);
                oc.pb(null);
            }
            avformat_free_context(oc);
            oc = null;
        }
        av_frame_free(bgr);
        av_frame_free(yuv);
        av_packet_free(packet);
    }
}
