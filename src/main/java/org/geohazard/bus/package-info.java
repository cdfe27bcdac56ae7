/**
 * The event-bus contract between verticles and nodes: every address with the one record it takes and the one
 * it answers ({@link org.geohazard.bus.Addresses}), the versioned records with their codecs
 * ({@link org.geohazard.bus.Messages}), image status and priority, and the one failure type with its codes.
 */
package org.geohazard.bus;
