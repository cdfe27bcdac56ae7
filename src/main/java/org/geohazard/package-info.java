/**
 * geohazard: finds landslides and floods in satellite images and raises alerts. {@link org.geohazard.Main} hands
 * the command line to {@link org.geohazard.cli}, which starts a node ({@link org.geohazard.node}) or runs a
 * command-line tool.
 */
package org.geohazard;
