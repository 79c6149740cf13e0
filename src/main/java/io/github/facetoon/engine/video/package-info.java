/**
 * Cartoon videos: decoding, the cartoon of every frame at a working scale held steady over time, and encoding with
 * the audio track copied, through FFmpeg's libraries (the bytedeco presets; LGPL build). No JavaFX here.
 */
package io.github.facetoon.engine.video;
