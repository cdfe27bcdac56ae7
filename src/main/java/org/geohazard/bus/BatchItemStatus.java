package org.geohazard.bus;

import java.util.Locale;

/** A batch file's status: its image's ({@link ImageStatus}), or {@code rejected} when the file was refused. */
public enum BatchItemStatus {
  PENDING, PROCESSING, COMPLETED, FAILED, REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a file whose image was registered; a file whose image row is gone counts as failed. */
  public static BatchItemStatus of(ImageStatus image) {
    return image == null ? FAILED : valueOf(image.name());
  }
}
