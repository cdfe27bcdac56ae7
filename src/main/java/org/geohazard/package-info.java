/**
 * geohazard: finds landslides and floods in satellite images and raises alerts. {@link org.geohazard.Main} starts
 * a node ({@link org.geohazard.node}) or runs the command-line tools.
 */
package org.geohazard;
