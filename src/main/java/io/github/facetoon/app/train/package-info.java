/**
 * The Train page: data folders, settings, live loss weights, run controls, previews, loss charts and checkpoints.
 * ViewModels hold no controls; views only build and bind.
 */
package io.github.facetoon.app.train;
