// The flood extent's line in the result panel (pure: node --test covers it, test/extent.test.js).
import { formatKm2 } from './change.js';

/**
 * "flood extent 1.234 km² in 3 polygon(s) (model; mask: …)", with what was left out as permanent water: the sea the
 * land layer cut, and the water the before scene already had (`water_before_km2`, present only for a pair).
 */
export function extentSummary(extent, imageId) {
  let line = `flood extent ${formatKm2(extent.flooded_km2)} in ${extent.polygons.length} polygon(s)`;
  const left = [];
  if (extent.water_before_km2 > 0) {
    left.push(`${formatKm2(extent.water_before_km2)} already water in the before scene`);
  }
  if (extent.sea_km2 > 0) {
    left.push(`${formatKm2(extent.sea_km2)} of sea`);
  }
  if (left.length) {
    line += `, not counting ${left.join(' and ')}`;
  }
  return `${line} (${extent.model}; mask: /api/v1/results/${imageId}/mask)`;
}
