/**
 * The vocabulary every layer shares about detections and models: a box ({@link
 * org.geohazard.detection.Detection}), the view a model sees and the sensors' band recipes, a model's profile and
 * thresholds, and {@link org.geohazard.detection.ViewPlanner}, which decides which model looks at an image and how.
 */
package org.geohazard.detection;
