// node --test (Node's own runner, no dependency): the flood extent's line in the result panel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extentSummary } from '../src/extent.js';

/** An extent as a result's analysis.extent carries it (AnalysisExtent.toJson), trimmed to what the line reads. */
function extent(fields = {}) {
  return { model: 's2seg-1.2', flooded_km2: 1.2345, polygons: [{}, {}], sea_km2: 0, water_before_km2: null, ...fields };
}

test('a scene alone: its area, polygons, model and where the mask is', () => {
  assert.equal(extentSummary(extent(), 'abc'),
    'flood extent 1.234 km² in 2 polygon(s) (s2seg-1.2; mask: /api/v1/results/abc/mask)');
});

test('a pair says how much water the before scene already had', () => {
  assert.equal(extentSummary(extent({ water_before_km2: 0.21 }), 'abc'),
    'flood extent 1.234 km² in 2 polygon(s), not counting 0.210 km² already water in the before scene'
    + ' (s2seg-1.2; mask: /api/v1/results/abc/mask)');
});

test('sea and water before are both named; nothing is said of an empty cut', () => {
  const line = extentSummary(extent({ water_before_km2: 0.5, sea_km2: 2 }), 'x');
  assert.match(line, /not counting 0\.500 km² already water in the before scene and 2\.000 km² of sea/);
  assert.doesNotMatch(extentSummary(extent({ water_before_km2: 0, sea_km2: 0 }), 'x'), /not counting/);
});
