// node --test (Node's own runner, no dependency): the words and styles of a pair's change layers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHANGE_LAYERS, beforeLabel, changeLayer, changeLegend, changePopupLines, changeSummary, formatKm2, isChangeFeature,
} from '../src/change.js';

const SHA = 'ab12cd34ef56'.padEnd(64, '0');

/** A change feature as GET /api/v1/results/{id}/geojson answers it (ResultGeoJson.changeFeatures). */
function changeFeature(layer, areaKm2, layerAreaKm2 = areaKm2, hazard = 'flood') {
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[9, 45], [9.01, 45], [9.01, 45.01], [9, 45]]] },
    properties: {
      kind: 'change', layer, hazard, area_km2: areaKm2, layer_area_km2: layerAreaKm2, sensor: 'optical',
      before_sha256: SHA,
    },
  };
}

test('each rule the server runs has its own label and style class', () => {
  const kinds = ['new_water', 'backscatter_drop', 'landslide'];
  assert.deepEqual(Object.keys(CHANGE_LAYERS), kinds);
  const classes = kinds.map((k) => changeLayer(k).css);
  assert.equal(new Set(classes).size, 3, 'three distinct styles');
  assert.equal(changeLayer('new_water').label, 'New water');
  assert.equal(changeLayer('backscatter_drop').label, 'Backscatter drop');
});

test('a layer kind the page does not know is still named, in a neutral style', () => {
  const other = changeLayer('burn_scar');
  assert.equal(other.label, 'Burn scar');
  assert.equal(other.css, 'change-other');
});

test('only kind: change features are change polygons', () => {
  assert.equal(isChangeFeature(changeFeature('new_water', 1)), true);
  assert.equal(isChangeFeature({ type: 'Feature', properties: { kind: 'flood_extent' } }), false);
  assert.equal(isChangeFeature({ type: 'Feature', properties: { class_name: 'flood' } }), false);
  assert.equal(isChangeFeature(null), false);
});

test('areas keep three decimals of km², and a tiny polygon is not shown as 0', () => {
  assert.equal(formatKm2(0.95), '0.950 km²');
  assert.equal(formatKm2(0.0004), '400 m²');
  assert.equal(formatKm2(0), '0.000 km²');
  assert.equal(formatKm2(undefined), '? km²');
});

test('the popup names the layer, its area and the before image the page sent', () => {
  const lines = changePopupLines(changeFeature('new_water', 0.95).properties,
    { imageId: '6f1c0a52-1111-4222-8333-444455556666' });
  assert.deepEqual(lines, [
    'New water (flood)',
    '0.950 km²',
    'compared with before image 6f1c0a52-1111-4222-8333-444455556666',
  ]);
});

test('without the upload id, the popup names the before scene by its content hash', () => {
  const lines = changePopupLines(changeFeature('backscatter_drop', 0.2, 0.5).properties);
  assert.equal(lines[0], 'Backscatter drop (flood)');
  assert.equal(lines[1], '0.200 km² (layer 0.500 km² in all)');
  assert.equal(lines[2], 'compared with before scene sha256 ab12cd34ef56…');
  assert.equal(beforeLabel(), 'an unnamed before scene');
});

test('the legend has one entry per layer drawn, in rule order, and none for other features', () => {
  const legend = changeLegend([
    changeFeature('landslide', 0.1, 0.1, 'landslide'),
    { type: 'Feature', properties: { kind: 'flood_extent', area_km2: 1 } },
    changeFeature('new_water', 0.5),
    changeFeature('new_water', 0.2),
    { type: 'Feature', properties: { class_name: 'flood' } },
  ]);
  assert.deepEqual(legend.map((l) => l.kind), ['new_water', 'landslide']);
  assert.deepEqual(changeLegend([]), []);
  assert.deepEqual(changeLegend(undefined), []);
});

test('the result panel lists every layer of analysis.change with its area, and says what it was compared with', () => {
  // analysis.change as GET /api/v1/results/{id} answers it (ChangeSection.toJson)
  const change = {
    before_sha256: SHA, sensor: 'optical', resampling: 'nearest', overlap_share: 1, water_before_share: 0.0549,
    grid: { width: 256, height: 256, pixel_m: 10 }, change_ms: 40,
    layers: [
      { kind: 'new_water', hazard: 'flood', area_km2: 0.95, regions: 1, polygons: [{ area_km2: 0.95, geometry: {} }] },
      { kind: 'landslide', hazard: 'landslide', area_km2: 0, regions: 0, polygons: [] },
    ],
  };
  const summary = changeSummary(change, { imageId: 'before-1' });
  assert.equal(summary.heading, 'against before image before-1 · optical · overlap 100 % · water before 5.5 %');
  assert.deepEqual(summary.layers.map((l) => l.text), [
    'New water: 0.950 km² in 1 polygon, corroborates flood',
    'Landslide change: none',
  ]);
  assert.equal(summary.layers[0].css, 'change-new-water');
  assert.equal(summary.layers[0].areaKm2, 0.95);
  assert.match(changeSummary(change).heading, /^against before scene sha256 ab12cd34ef56…/);
  assert.equal(changeSummary(undefined), null);
});

test('a pair under cloud says how much was clear and that the water rule did not judge it', () => {
  const change = {
    before_sha256: SHA, sensor: 'optical', overlap_share: 1, water_before_share: 0, clear_share: 0.086,
    judged: false,
    layers: [
      { kind: 'new_water', hazard: 'flood', area_km2: 0, regions: 0, polygons: [] },
      { kind: 'landslide', hazard: 'landslide', area_km2: 0, regions: 0, polygons: [] },
    ],
  };
  const summary = changeSummary(change, { imageId: 'before-2' });
  assert.equal(summary.heading,
    'against before image before-2 · optical · overlap 100 % · water before 0.0 % · clear of cloud 9 %');
  assert.deepEqual(summary.layers.map((l) => l.text), [
    'New water: not judged (cloud or haze)',
    'Landslide change: none',
  ]);
});
