package org.geohazard.bus;

import java.util.List;

/** Which nodes share this node's event bus: the cluster manager's view (this node alone when standalone). */
public interface Membership {

  boolean clustered();

  /** The cluster's name ({@code cluster.name}). */
  String name();

  /** This node's member id. */
  String self();

  /** Every member's id, this node's included. */
  List<String> members();
}
