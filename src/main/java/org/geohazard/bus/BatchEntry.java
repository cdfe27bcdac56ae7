package org.geohazard.bus;

/**
 * One file of a batch upload: the image it became, or why it was refused.
 */
public record BatchEntry(int index, String filename, String imageId, String errorCode, String errorMessage) {}
