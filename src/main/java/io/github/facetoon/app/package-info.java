/**
 * The JavaFX studio: views, view models and the bridge from engine events to the FX thread.
 */
package io.github.facetoon.app;
