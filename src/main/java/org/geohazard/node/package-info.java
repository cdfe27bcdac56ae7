/**
 * The composition root: one node's Vert.x instance, its client services (cache, object store, Kafka
 * producer) and the verticles of its roles, each given the services it uses through its constructor.
 */
package org.geohazard.node;
