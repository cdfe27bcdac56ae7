// The change layers of a before/after pair (`analysis.change`, and the `kind: change` features of the result's
// GeoJSON): how each rule's layer is named and styled, and the words shown for it in the map's popup, its legend
// and the result panel. Plain functions of the API's JSON, without the DOM, so `node --test` checks them.

/**
 * The rules the server runs (openapi.yaml, `ChangeSection.layers[].kind`), in legend order. `css` is the class
 * the map and legend swatches use (app.css gives each its own colour and pattern).
 */
export const CHANGE_LAYERS = Object.freeze({
  new_water: { label: 'New water', css: 'change-new-water', what: 'water index rose from land to water' },
  backscatter_drop: { label: 'Backscatter drop', css: 'change-backscatter-drop', what: 'radar VV fell to water' },
  landslide: { label: 'Landslide change', css: 'change-landslide', what: 'vegetation lost with brightening' },
});

/** The style of a layer kind; a kind this page does not know yet is drawn, in a neutral style, under its own name. */
export function changeLayer(kind) {
  const known = CHANGE_LAYERS[kind];
  if (known) return { kind, ...known };
  const name = String(kind ?? 'change').replaceAll('_', ' ');
  return { kind, label: name.charAt(0).toUpperCase() + name.slice(1), css: 'change-other', what: '' };
}

/** Whether a GeoJSON feature of the result is a change polygon (not a detection, not a flood extent polygon). */
export function isChangeFeature(f) {
  return f?.properties?.kind === 'change';
}

/** km² as the page writes them: three decimals, but a polygon of a few hundred m² does not read as 0. */
export function formatKm2(km2) {
  const v = Number(km2);
  if (!Number.isFinite(v)) return '? km²';
  if (v > 0 && v < 0.001) return `${(v * 1e6).toFixed(0)} m²`;
  return `${v.toFixed(3)} km²`;
}

/**
 * Which before image a pair was compared with: the upload id when this page knows it (it sent the pair), else the
 * before scene's content hash (the pair's analysis is shared by every upload of the two scenes, so the server
 * names the before scene by content).
 */
export function beforeLabel({ imageId, sha256 } = {}) {
  if (imageId) return `before image ${imageId}`;
  if (sha256) return `before scene sha256 ${String(sha256).slice(0, 12)}…`;
  return 'an unnamed before scene';
}

/**
 * The popup (and tooltip) lines of one change polygon: the layer's name, its area (and its layer's total when the
 * layer has several polygons), and the before image it was compared with.
 */
export function changePopupLines(properties, before = {}) {
  const p = properties ?? {};
  const layer = changeLayer(p.layer);
  const area = Number(p.layer_area_km2) > Number(p.area_km2)
    ? `${formatKm2(p.area_km2)} (layer ${formatKm2(p.layer_area_km2)} in all)` : formatKm2(p.area_km2);
  return [
    `${layer.label}${p.hazard ? ` (${p.hazard})` : ''}`,
    area,
    `compared with ${beforeLabel({ imageId: before.imageId, sha256: before.sha256 ?? p.before_sha256 })}`,
  ];
}

/** The legend entries for the change features drawn: one per layer kind present, in CHANGE_LAYERS order. */
export function changeLegend(features) {
  const kinds = new Set((features ?? []).filter(isChangeFeature).map((f) => f.properties.layer));
  const order = Object.keys(CHANGE_LAYERS);
  return [...kinds].sort((a, b) => rank(order, a) - rank(order, b) || String(a).localeCompare(String(b)))
    .map((kind) => changeLayer(kind));
}

function rank(order, kind) {
  const i = order.indexOf(kind);
  return i < 0 ? order.length : i;
}

/**
 * The result panel's view of `analysis.change`: a heading line (what the scene was compared with, how) and one row
 * per layer, with its total area, polygons and regions. Null for a scene analysed alone.
 */
export function changeSummary(change, before = {}) {
  if (!change) return null;
  const heading = [
    `against ${beforeLabel({ imageId: before.imageId, sha256: change.before_sha256 })}`,
    change.sensor,
    Number.isFinite(change.overlap_share) ? `overlap ${Math.round(change.overlap_share * 100)} %` : null,
    Number.isFinite(change.water_before_share) ? `water before ${(change.water_before_share * 100).toFixed(1)} %`
      : null,
    // Cloud and haze (either date) are judged neither way; said only when some pixels were.
    Number.isFinite(change.clear_share) && change.clear_share < 1
      ? `clear of cloud ${Math.round(change.clear_share * 100)} %` : null,
  ].filter(Boolean).join(' · ');
  // Too little clear: the water rule did not judge the pair (neither confirms nor refuses a flood).
  const unjudged = change.judged === false;
  const layers = (change.layers ?? []).map((l) => {
    const layer = changeLayer(l.kind);
    const polygons = (l.polygons ?? []).length;
    const regions = Number(l.regions ?? polygons);
    return {
      ...layer,
      hazard: l.hazard,
      areaKm2: Number(l.area_km2 ?? 0),
      polygons,
      text: unjudged && l.kind === 'new_water' ? `${layer.label}: not judged (cloud or haze)`
        : regions === 0 ? `${layer.label}: none`
        : `${layer.label}: ${formatKm2(l.area_km2)} in ${polygons} polygon${polygons === 1 ? '' : 's'}`
          + `${regions > polygons ? ` (${regions} regions)` : ''}${l.hazard ? `, corroborates ${l.hazard}` : ''}`,
    };
  });
  return { heading, layers };
}
