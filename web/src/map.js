// The world map: Natural Earth countries (bundled, so no tile server is needed) projected once into a
// fixed viewBox; zooming and panning only change one transform, so the 50m basemap is never
// re-projected while the user drags.
import { geoArea, geoEquirectangular, geoGraticule10, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import world from 'world-atlas/countries-50m.json';
import { changeLayer, changeLegend, changePopupLines, isChangeFeature } from './change.js';
import { h, svg as svgEl } from './dom.js';

const W = 960;
const H = 480;
const MAX_ZOOM = 4000; // about 50 px per km: a footprint of a few hundred metres is still visible
const ALERT_MIN_PX = 5; // alert areas of a few km would vanish at world scale
const KM_PER_DEGREE = 111.32;
const SEVERITY_ORDER = { medium: 1, high: 2, critical: 3 };

/**
 * `popup`: an element over the map (positioned in the map's wrapper) that shows a change polygon's details when it is
 * clicked; `legend`: an element that lists the change layers and flood extent drawn. Both optional.
 */
export function createMap(svg, { onAlertClick, popup, legend } = {}) {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  // Equirectangular rather than a rounder world projection: zoomed in on an alert or a footprint it
  // only stretches east-west, where Natural Earth or Robinson would also shear the shapes.
  const projection = geoEquirectangular().fitExtent([[4, 4], [W - 4, H - 4]], { type: 'Sphere' });
  // Two decimals keep the basemap path small; footprints keep every digit because they are drawn
  // at zoom factors in the thousands.
  const coarse = geoPath(projection).digits(2);
  const precise = geoPath(projection).digits(null);

  const view = svgEl('g', { class: 'view' });
  const countries = feature(world, world.objects.countries);
  view.append(
    svgEl('path', { class: 'sphere', d: coarse({ type: 'Sphere' }) }),
    svgEl('path', { class: 'graticule', d: coarse(geoGraticule10()) }),
    svgEl('path', { class: 'land', d: coarse(countries) }),
    svgEl('path', { class: 'borders', d: coarse(mesh(world, world.objects.countries, (a, b) => a !== b)) }),
  );
  const footprintLayer = svgEl('g', { class: 'footprints' });
  const alertLayer = svgEl('g', { class: 'alerts' });
  // Footprints above alerts: they are what the user just asked about, and far smaller.
  view.append(alertLayer, footprintLayer);
  svg.append(view);

  let zoom = { k: 1, x: 0, y: 0 };
  let alertsById = new Map();
  let highlighted = null;

  function apply() {
    view.setAttribute('transform', `translate(${zoom.x} ${zoom.y}) scale(${zoom.k})`);
    // Circles are sized in map units; keep a minimum size on screen whatever the zoom.
    for (const c of alertLayer.children) {
      c.setAttribute('r', Math.max(Number(c.dataset.ru), ALERT_MIN_PX / zoom.k));
    }
    for (const m of footprintLayer.querySelectorAll('.marker')) {
      m.setAttribute('r', 4 / zoom.k);
    }
  }

  function setZoom(k, x, y) {
    zoom = { k: Math.min(MAX_ZOOM, Math.max(1, k)), x, y };
    if (zoom.k === 1) zoom = { k: 1, x: 0, y: 0 };
    apply();
  }

  /** Zoom by `factor` keeping the map point under (px, py) (viewBox units) in place. */
  function zoomAround(factor, px, py) {
    const k = Math.min(MAX_ZOOM, Math.max(1, zoom.k * factor));
    const f = k / zoom.k;
    setZoom(k, px - (px - zoom.x) * f, py - (py - zoom.y) * f);
  }

  /** Show the projected box [[x0, y0], [x1, y1]] with some margin, no closer than maxK. */
  function zoomToBox([[x0, y0], [x1, y1]], maxK) {
    const dx = Math.max(x1 - x0, 1e-6);
    const dy = Math.max(y1 - y0, 1e-6);
    const k = Math.min(maxK, MAX_ZOOM, 0.8 / Math.max(dx / W, dy / H));
    setZoom(k, W / 2 - k * (x0 + x1) / 2, H / 2 - k * (y0 + y1) / 2);
  }

  function toViewBox(clientX, clientY) {
    const ctm = svg.getScreenCTM();
    if (!ctm) return { x: W / 2, y: H / 2 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  }

  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const lines = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 400 : 1;
    const p = toViewBox(e.clientX, e.clientY);
    zoomAround(Math.exp(-e.deltaY * lines * 0.002), p.x, p.y);
  }, { passive: false });

  svg.addEventListener('dblclick', (e) => {
    const p = toViewBox(e.clientX, e.clientY);
    zoomAround(e.shiftKey ? 0.5 : 2, p.x, p.y);
  });

  let drag = null;
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { id: e.pointerId, start: toViewBox(e.clientX, e.clientY), x: zoom.x, y: zoom.y, moved: false };
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const p = toViewBox(e.clientX, e.clientY);
    const dx = p.x - drag.start.x;
    const dy = p.y - drag.start.y;
    // Capture only once the pointer really moves, so a plain click still reaches the alert circle.
    if (!drag.moved && Math.hypot(dx, dy) > 3) {
      drag.moved = true;
      svg.setPointerCapture(e.pointerId);
      svg.classList.add('dragging');
    }
    if (drag.moved) setZoom(zoom.k, drag.x + dx, drag.y + dy);
  });
  const endDrag = () => {
    drag = null;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);

  alertLayer.addEventListener('click', (e) => {
    const id = e.target.closest('[data-alert-id]')?.dataset.alertId;
    if (id && onAlertClick) onAlertClick(id);
  });

  /** Radius of `km` at this latitude, in projected units (north-south, where the projection is fair). */
  function kmToUnits(lon, lat, km) {
    const a = projection([lon, lat]);
    const b = projection([lon, Math.min(90, lat + km / KM_PER_DEGREE)]);
    return a && b ? Math.abs(a[1] - b[1]) : 0;
  }

  function setAlerts(alerts) {
    alertsById = new Map(alerts.map((a) => [a.alert_id, a]));
    // Big areas first and the most severe last, so small and severe circles stay on top and clickable.
    const ordered = [...alerts].sort((a, b) => (b.radius_km - a.radius_km)
      || (SEVERITY_ORDER[a.severity] ?? 0) - (SEVERITY_ORDER[b.severity] ?? 0));
    const circles = [];
    for (const a of ordered) {
      const p = projection([a.longitude, a.latitude]);
      if (!p) continue;
      const c = svgEl('circle', {
        class: `alert sev-${a.severity} type-${a.alert_type}${a.state === 'acknowledged' ? ' acked' : ''}`,
        cx: p[0], cy: p[1],
        'data-testid': 'map-alert',
        'data-alert-id': a.alert_id,
        'data-ru': kmToUnits(a.longitude, a.latitude, a.radius_km),
      });
      if (a.alert_id === highlighted) c.classList.add('highlight');
      const title = svgEl('title');
      title.textContent = `${a.title} (${a.severity} ${a.alert_type}, ${a.radius_km} km)`;
      c.append(title);
      circles.push(c);
    }
    alertLayer.replaceChildren(...circles);
    apply();
  }

  function boxOfAlerts(alerts) {
    let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
    for (const a of alerts) {
      const p = projection([a.longitude, a.latitude]);
      if (!p) continue;
      const r = kmToUnits(a.longitude, a.latitude, a.radius_km);
      x0 = Math.min(x0, p[0] - r); y0 = Math.min(y0, p[1] - r);
      x1 = Math.max(x1, p[0] + r); y1 = Math.max(y1, p[1] + r);
    }
    return x0 <= x1 ? [[x0, y0], [x1, y1]] : null;
  }

  function fitAlerts() {
    const box = boxOfAlerts([...alertsById.values()]);
    if (box) zoomToBox(box, 40);
    else setZoom(1, 0, 0);
  }

  function focusAlert(id) {
    const a = alertsById.get(id);
    if (!a) return;
    highlight(id);
    zoomToBox(boxOfAlerts([a]), 200);
  }

  function highlight(id) {
    highlighted = id;
    for (const c of alertLayer.children) c.classList.toggle('highlight', c.dataset.alertId === id);
  }

  /**
   * Draw an image's detection footprints, flood extent polygons and a before/after pair's change polygons (a GeoJSON
   * FeatureCollection; features without geometry are skipped; extent features have `properties.kind: flood_extent`,
   * change features `kind: change` with their `layer`) and zoom to them; with none, mark the upload's location hint
   * if there is one. `before` names the pair's before image where the page knows its upload id (`{ imageId }`).
   */
  function showFootprints(collection, location, before = {}) {
    closePopup();
    // Bottom to top: extents (large, filled), change polygons (outlined), then the detections they may corroborate.
    const extentShapes = [];
    const changeShapes = [];
    const detectionShapes = [];
    const placed = (collection?.features ?? []).filter((f) => f && f.geometry).map(clockwise);
    for (const f of placed) {
      if (f.properties?.kind === 'flood_extent') {
        // A flood extent polygon (holes kept: even-odd fill), drawn under nothing else and not a detection.
        const path = svgEl('path', { class: 'extent', d: precise(f), 'data-testid': 'map-extent' });
        const title = svgEl('title');
        title.textContent = `flood extent ${Number(f.properties.area_km2).toFixed(3)} km²`;
        path.append(title);
        extentShapes.push(path);
        continue;
      }
      if (isChangeFeature(f)) {
        const lines = changePopupLines(f.properties, before);
        const path = svgEl('path', {
          class: `change ${changeLayer(f.properties.layer).css}`,
          d: precise(f),
          'data-testid': 'map-change',
          'data-layer': f.properties.layer,
          'data-area-km2': f.properties.area_km2,
          'data-popup': lines.join('\n'),
        });
        const title = svgEl('title');
        title.textContent = lines.join(' · ');
        path.append(title);
        changeShapes.push(path);
        continue;
      }
      const name = f.properties?.class_name ?? 'detection';
      const path = svgEl('path', {
        class: `footprint cls-${cssName(name)}`,
        d: precise(f),
        'data-testid': 'map-footprint',
        'data-class': name,
      });
      const title = svgEl('title');
      const score = Number(f.properties?.confidence);
      title.textContent = Number.isFinite(score) ? `${name} ${score.toFixed(2)}` : name;
      path.append(title);
      detectionShapes.push(path);
    }
    const shapes = [...extentShapes, ...changeShapes, ...detectionShapes];
    const p = location ? projection([location.longitude, location.latitude]) : null;
    if (p) shapes.push(svgEl('circle', { class: 'marker', cx: p[0], cy: p[1], r: 4, 'data-testid': 'map-location' }));
    footprintLayer.replaceChildren(...shapes);
    svg.dataset.footprints = String(detectionShapes.length);
    svg.dataset.extents = String(extentShapes.length);
    svg.dataset.changes = String(changeShapes.length);
    showLegend(placed, extentShapes.length > 0);
    if (placed.length) {
      zoomToBox(precise.bounds({ type: 'FeatureCollection', features: placed }), MAX_ZOOM);
    } else if (p) {
      zoomToBox([[p[0] - 0.5, p[1] - 0.5], [p[0] + 0.5, p[1] + 0.5]], 60);
    }
    apply();
  }

  /** The legend of the result's layers: the flood extent when drawn, and one entry per change layer drawn. */
  function showLegend(features, extent) {
    if (!legend) return;
    const entries = [];
    if (extent) {
      entries.push(h('span', { class: 'legend-entry', 'data-testid': 'map-legend-entry', 'data-layer': 'flood_extent' },
        h('span', { class: 'swatch extent' }), 'flood extent'));
    }
    for (const layer of changeLegend(features)) {
      entries.push(h('span', { class: 'legend-entry', 'data-testid': 'map-legend-entry', 'data-layer': layer.kind,
        title: layer.what }, h('span', { class: `swatch change ${layer.css}` }), layer.label));
    }
    legend.replaceChildren(...entries);
    legend.hidden = entries.length === 0;
  }

  /** A change polygon's popup, at the click, inside the map's wrapper. */
  function openPopup(lines, clientX, clientY) {
    if (!popup) return;
    const box = popup.parentElement.getBoundingClientRect();
    popup.replaceChildren(...lines.map((line, i) => h('div', { class: i === 0 ? 'popup-title' : null }, line)));
    popup.style.left = `${Math.max(0, clientX - box.left + 8)}px`;
    popup.style.top = `${Math.max(0, clientY - box.top + 8)}px`;
    popup.hidden = false;
  }

  function closePopup() {
    if (popup) popup.hidden = true;
  }

  footprintLayer.addEventListener('click', (e) => {
    const target = e.target.closest('[data-popup]');
    if (target) {
      e.stopPropagation();
      openPopup(target.dataset.popup.split('\n'), e.clientX, e.clientY);
    }
  });
  // A click anywhere else on the map, or Escape, closes it.
  svg.addEventListener('click', (e) => {
    if (!e.target.closest('[data-popup]')) closePopup();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closePopup();
  });

  function clearFootprints() {
    footprintLayer.replaceChildren();
    delete svg.dataset.footprints;
    delete svg.dataset.extents;
    delete svg.dataset.changes;
    closePopup();
    if (legend) {
      legend.replaceChildren();
      legend.hidden = true;
    }
  }

  return {
    setAlerts,
    fitAlerts,
    focusAlert,
    highlight,
    showFootprints,
    clearFootprints,
    zoomIn: () => zoomAround(2, W / 2, H / 2),
    zoomOut: () => zoomAround(0.5, W / 2, H / 2),
    world: () => setZoom(1, 0, 0),
  };
}

/**
 * RFC 7946 winds exterior rings counter-clockwise; d3-geo, working on the sphere, reads such a ring
 * as everything outside it. A polygon that covers more than half the globe is taken as wound the
 * GeoJSON way and its rings are reversed.
 */
function clockwise(f) {
  if (geoArea(f) <= 2 * Math.PI) return f;
  const flip = (rings) => rings.map((ring) => [...ring].reverse());
  const g = f.geometry;
  const coordinates = g.type === 'Polygon' ? flip(g.coordinates)
    : g.type === 'MultiPolygon' ? g.coordinates.map(flip) : g.coordinates;
  return { ...f, geometry: { ...g, coordinates } };
}

/** A class name usable in a CSS class: model class names are free text. */
export function cssName(name) {
  return String(name).toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}
