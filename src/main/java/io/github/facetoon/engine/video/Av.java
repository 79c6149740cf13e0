package io.github.facetoon.engine.video;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/** Small helpers over FFmpeg's C API: loading, quiet logging, error texts. */
final class Av {

    /** FFmpeg's AVERROR(EAGAIN): 11 on Linux and Windows, 35 on macOS. */
    static final int EAGAIN = Loader.getPlatform().startsWith("macosx") ? -35 : -11;

    private static volatile boolean loaded;

    private Av() {}

    /** Loads the libraries once; FFmpeg's own log is limited to errors that we do not report otherwise. */
    static void load() {
        if (!loaded) {
            synchronized (Av.class) {
                if (!loaded) {
                    Loader.load(avutil.class);
                    Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
                    Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
                    Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                    Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
                    loaded = true;
                }
            }
        }
    }

    /** FFmpeg's text for an error code. */
    static String message(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        String s = new String(buf, 0, n, StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? "error " + code : s.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + s.substring(1);
    }

    /**
     * Throws when an FFmpeg call failed.
     *
     * @param code the call's result
     * @param what what was being done, for the message
     * @return the code, when not negative
     * @throws IOException when negative
     */
    static int check(int code, String what) throws IOException {
        if (code < 0) {
            throw new IOException(what + ": " + message(code));
        }
        return code;
    }
}
