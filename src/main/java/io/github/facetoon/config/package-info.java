/**
 * Configuration records, validated on construction; no behaviour beyond copies and defaults.
 */
package io.github.facetoon.config;
