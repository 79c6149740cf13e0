package io.github.facetoon.engine.video;

/**
 * What a video file holds, as the studio and the command line show it.
 *
 * @param width frame width as displayed (rotation applied)
 * @param height frame height as displayed
 * @param framesPerSecond the average frame rate
 * @param frameCount frames, counted by the container or estimated from the duration
 * @param durationSeconds the duration
 * @param videoCodec the video codec's name
 * @param audioCodec the audio codec's name, empty without audio
 * @param rotation the display rotation in degrees (0, 90, 180 or 270) the frames are turned by
 */
public record VideoInfo(int width, int height, double framesPerSecond, long frameCount, double durationSeconds,
        String videoCodec, String audioCodec, int rotation) {

    /** Whether the video has a sound track. */
    public boolean hasAudio() {
        return !audioCodec.isEmpty();
    }
}
