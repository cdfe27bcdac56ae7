package org.geohazard.bus;

/**
 * The answer to a claim about to be analysed. {@code analyse}: the image was pending, or processing with no
 * live holder (none, the asker itself, or a lease that ran out), and is now held by the asker; or it is not
 * registered at all (the save will say so). Otherwise {@code status} says why not: {@code processing} while
 * another consumer holds it for {@code heldForMs} more (a claim redelivered by a rebalance while the previous
 * owner still works on it: ask again later), or a stale claim of a settled image, {@code completed} (then
 * {@code stored} is its result document, read on the primary) or {@code failed}.
 */
public record ClaimStart(boolean analyse, ImageStatus status, ImageResult stored, long heldForMs) {
  public static final ClaimStart ANALYSE = new ClaimStart(true, ImageStatus.PROCESSING, null, 0);

  public static ClaimStart heldElsewhere(long heldForMs) {
    return new ClaimStart(false, ImageStatus.PROCESSING, null, Math.max(0, heldForMs));
  }

  public boolean heldElsewhere() {
    return !analyse && status == ImageStatus.PROCESSING;
  }
}
