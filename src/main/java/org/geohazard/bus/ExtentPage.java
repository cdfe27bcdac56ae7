package org.geohazard.bus;

import java.util.List;

/** One page of a query's flood extent polygons, and how many match the query in all. */
public record ExtentPage(List<ExtentFeature> features, long matched) {}
