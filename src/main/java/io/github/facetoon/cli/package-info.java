/**
 * The picocli command line: thin adapters over {@link io.github.facetoon.engine.StudioEngine}. Must not import javafx.
 */
package io.github.facetoon.cli;
