package io.github.facetoon.engine;

/**
 * What the engine runs on, for the studio's settings and About box.
 *
 * @param device the device, e.g. "cpu()" or "gpu(0)"
 * @param description a human description, e.g. "CPU, 2 cores" or "NVIDIA H100, 80 GB"
 * @param gpu true when a GPU is used
 * @param engine engine name and version, e.g. "PyTorch 2.7.1"
 * @param offline true when DJL runs offline
 */
public record DeviceInfo(String device, String description, boolean gpu, String engine, boolean offline) {}
