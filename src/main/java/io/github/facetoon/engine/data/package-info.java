/**
 * Reading images safely and feeding training batches: folder scans, decoding, crops, augmentation, prefetch.
 */
package io.github.facetoon.engine.data;
