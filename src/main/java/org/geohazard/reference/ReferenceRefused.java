package org.geohazard.reference;

/**
 * A scene reference or STAC Item this node will not read, with a message fit to show the caller (a 400 or 422 at
 * the API): which field, what was found, what would be accepted. Nothing has been read or stored when it is thrown.
 */
public final class ReferenceRefused extends Exception {

  public ReferenceRefused(String message) {
    super(message, null, false, false);
  }
}
