/**
 * The JavaFX studio: the application, its hand-wired context, the main window and the one bridge from engine
 * threads to the FX thread ({@link io.github.facetoon.app.FxEventPump}). Talks to the engine only through
 * {@code engine.StudioEngine}; must not import {@code cli} or picocli.
 */
package io.github.facetoon.app;
