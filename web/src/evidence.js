// The words for an analysis's evidence section (`analysis.evidence`, one entry per hazard; openapi.yaml
// `HazardEvidence`): the line beside the risk and the details under it. Plain functions of the API's JSON, without
// the DOM, so `node --test` checks them.

const SOURCES = Object.freeze({
  independent_view: 'another view of the scene',
  change_rule: 'a before/after change rule',
  other_sensor: 'a scene of the same place by the other sensor',
});

const VIEWS = Object.freeze({
  rgb: 'natural colour',
  swir_nir_green: 'SWIR/NIR/green',
  sar_vv_pair: 'radar VV',
});

/**
 * One line per hazard, beside the risk: the level, and when the evidence rule capped it or something corroborated
 * it, why, e.g. "flood: medium (capped from critical: unverified natural colour (…))", "flood: critical (corroborated
 * by another view)", "flood: high (verified: real-label precision …)".
 */
export function evidenceText(hazard, e) {
  const why = e.reason ? ` (${e.reason})` : '';
  return `${hazard}: ${e.level}${why}`;
}

/** A view as people call it; an unknown view keeps its wire name. */
export function viewName(view) {
  return VIEWS[view] ?? String(view ?? '?');
}

/**
 * The details under a hazard's line: which models saw it through which view (their best score and the level it
 * gave, and where the evidence rule lowered it, the level kept), the real-label precision behind the level, what
 * corroborated it, and boxes set aside as permanent water. Each is `{ part, text }`; parts without content are left
 * out.
 */
export function evidenceDetails(e) {
  if (!e) return [];
  const details = [];
  const seen = (e.seen_by ?? []).map((s) => {
    const score = Number(s.best_confidence);
    const level = s.level_before_cap && s.level_before_cap !== s.level ? `${s.level_before_cap} → ${s.level}`
      : s.level;
    return `${s.model} (${viewName(s.view)}) ${s.detections} box${s.detections === 1 ? '' : 'es'}`
      + `${Number.isFinite(score) ? `, best ${score.toFixed(2)}` : ''}, ${level}${s.verified ? ', verified' : ''}`;
  });
  if (seen.length) details.push({ part: 'seen-by', text: `seen by: ${seen.join('; ')}` });
  if (e.precision !== null && e.precision !== undefined && Number.isFinite(Number(e.precision))) {
    const sets = (e.precision_sets ?? []).join(' + ');
    details.push({
      part: 'precision',
      text: `real-label precision ${Number(e.precision).toFixed(2)} at ${e.precision_level ?? '?'}`
        + `${sets ? ` on ${sets}` : ''}${e.flagged_images ? ` (${e.flagged_images} images flagged)` : ''}`
        + (e.verified ? ': verifies the level' : ': does not verify the level'),
    });
  } else {
    details.push({ part: 'precision', text: 'no real-label precision for the models that saw it' });
  }
  const by = (e.corroborated_by ?? []).map((s) => SOURCES[s] ?? String(s).replaceAll('_', ' '));
  details.push({
    part: 'corroboration',
    text: by.length ? `corroborated by ${by.join(' and ')}${e.corroborated ? ': the level stands by it' : ''}`
      : 'not corroborated',
  });
  if (e.permanent_water_excluded > 0) {
    details.push({
      part: 'permanent-water',
      text: `${e.permanent_water_excluded} box${e.permanent_water_excluded === 1 ? '' : 'es'} set aside as permanent water`,
    });
  }
  return details;
}

/**
 * The line for an analysis made with a scene of the same place by the other sensor family (`analysis.other_sensor`,
 * openapi.yaml `OtherSensorSection`), e.g. "looked at with a radar scene (geohazard-s1flood-1.1; its own level high):
 * 2 flood boxes on this scene, covering 98 %"; null without one.
 */
export function otherSensorText(section) {
  if (!section) return null;
  const boxes = Object.entries(section.detections ?? {}).filter(([, n]) => n > 0)
    .map(([hazard, n]) => `${n} ${hazard} box${n === 1 ? '' : 'es'}`);
  const cover = Number(section.overlap_share);
  return `looked at with a ${section.sensor} scene (${section.model_version}; its own level ${section.risk_level}): `
    + `${boxes.length ? boxes.join(', ') : 'no boxes'} on this scene`
    + `${Number.isFinite(cover) ? `, covering ${Math.round(cover * 100)} %` : ''}`;
}
