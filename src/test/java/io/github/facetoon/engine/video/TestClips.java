package io.github.facetoon.engine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

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
import org.bytedeco.javacpp.FloatPointer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** Test clips made here, from a still photo: small camera motion, sensor noise, and optionally a tone as sound. */
public final class TestClips {

    private TestClips() {}

    /** A hand-held frame of a still scene ({@link StillClip#frame}). */
    public static Mat handHeld(Mat photo, int index, double noiseSigma, long seed) {
        return StillClip.frame(photo, index, noiseSigma, seed);
    }

    /**
     * Writes a clip of {@code frames} hand-held frames of a photo.
     *
     * @param out the clip (its extension picks the container)
     * @param photo the scene
     * @param frames how many frames
     * @param fps frames per second
     * @param sound a sound file whose first track is copied in, or null
     */
    public static void write(Path out, Mat photo, int frames, int fps, Path sound) throws IOException {
        VideoFormats.Container c = VideoFormats.container(out).orElseThrow();
        AVFormatContext in = null;
        AVStream audio = null;
        if (sound != null) {
            in = new AVFormatContext(null);
            Av.check(avformat_open_input(in, sound.toString(), null, null), "open sound");
            Av.check(avformat_find_stream_info(in, (AVDictionary) null), "sound info");
            audio = in.streams(0);
        }
        AVRational tb = new AVRational().num(1).den(fps);
        try (VideoWriter w = new VideoWriter(out, c, photo.cols(), photo.rows(), tb, new AVRational().num(fps).den(1),
                2_000_000, audio, 0)) {
            for (int i = 0; i < frames; i++) {
                Mat f = handHeld(photo, i, 2.0, 1);
                w.write(f, i);
                f.release();
            }
            if (in != null) {
                AVPacket p = av_packet_alloc();
                while (av_read_frame(in, p) >= 0) {
                    if (p.stream_index() == 0) {
                        w.writeAudio(p);
                    }
                    av_packet_unref(p);
                }
                av_packet_free(p);
            }
            w.finish();
        } finally {
            if (in != null) {
                avformat_close_input(in);
            }
        }
    }

    /**
     * Writes a Matroska file with a 440 Hz tone, AAC, mono, 44.1 kHz.
     *
     * @param out the file (.mka)
     * @param seconds its length
     */
    public static void tone(Path out, double seconds) throws IOException {
        Av.load();
        AVFormatContext oc = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(oc, null, "matroska", out.toString()), "tone file");
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.sample_fmt(AV_SAMPLE_FMT_FLTP);
        c.sample_rate(44100);
        av_channel_layout_default(c.ch_layout(), 1);
        c.bit_rate(64000);
        c.time_base(new AVRational().num(1).den(44100));
        if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Av.check(avcodec_open2(c, codec, (AVDictionary) null), "aac encoder");
        AVStream st = avformat_new_stream(oc, null);
        avcodec_parameters_from_context(st.codecpar(), c);
        st.time_base(c.time_base());
        AVIOContext pb = new AVIOContext(null);
        Av.check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open tone");
        oc.pb(pb);
        Av.check(avformat_write_header(oc, (AVDictionary) null), "tone header");
        AVFrame f = av_frame_alloc();
        f.nb_samples(c.frame_size());
        f.format(AV_SAMPLE_FMT_FLTP);
        f.sample_rate(44100);
        av_channel_layout_copy(f.ch_layout(), c.ch_layout());
        Av.check(av_frame_get_buffer(f, 0), "tone frame");
        AVPacket p = av_packet_alloc();
        long total = Math.round(seconds * 44100);
        for (long t = 0; t < total; t += c.frame_size()) {
            av_frame_make_writable(f);
            FloatPointer d = new FloatPointer(f.data(0));
            for (int i = 0; i < c.frame_size(); i++) {
                d.put(i, (float) (0.3 * Math.sin(2 * Math.PI * 440 * (t + i) / 44100.0)));
            }
            f.pts(t);
            Av.check(avcodec_send_frame(c, f), "tone encode");
            drain(oc, c, st, p);
        }
        avcodec_send_frame(c, null);
        drain(oc, c, st, p);
        av_write_trailer(oc);
        avio_closep(pb);
        avcodec_free_context(c);
        avformat_free_context(oc);
        av_frame_free(f);
        av_packet_free(p);
    }

    private static void drain(AVFormatContext oc, AVCodecContext c, AVStream st, AVPacket p) throws IOException {
        while (avcodec_receive_packet(c, p) == 0) {
            av_packet_rescale_ts(p, c.time_base(), st.time_base());
            p.stream_index(st.index());
            Av.check(av_interleaved_write_frame(oc, p), "tone write");
        }
    }

    /** A gradient test card with a dark disc: a frame without a face. */
    public static Mat card(int w, int h) {
        io.github.facetoon.engine.vision.OpenCvRuntime.ensureLoaded();
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        byte[] row = new byte[w * 3 * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                row[i] = (byte) (x * 255 / w);
                row[i + 1] = (byte) (y * 255 / h);
                row[i + 2] = (byte) 128;
            }
        }
        m.put(0, 0, row);
        Imgproc.circle(m, new org.opencv.core.Point(w / 2.0, h / 2.0), Math.min(w, h) / 4, new Scalar(20, 20, 20), -1);
        return m;
    }
}
