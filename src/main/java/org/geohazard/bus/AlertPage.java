package org.geohazard.bus;

import java.util.List;

/** One page of a query's alerts, and how many match the query in all. */
public record AlertPage(List<Alert> alerts, long matched) {}
