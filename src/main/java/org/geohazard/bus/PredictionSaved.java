package org.geohazard.bus;

/**
 * What a save did ({@code stored} false for a redelivered result) and the result document as it now reads, read
 * back in the save's transaction.
 */
public record PredictionSaved(boolean stored, ImageResult result) {}
