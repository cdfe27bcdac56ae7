package org.geohazard.bus;

import java.util.List;

/** One page of a query's detections, and how many match the query in all. */
public record DetectionPage(List<DetectionFeature> features, long matched) {}
