/**
 * Small pieces the studio's pages share: texts, preferences, number formats, the log-scale mapping, image
 * conversion and files, the deferred engine. Nothing here builds a page.
 */
package io.github.facetoon.app.common;
