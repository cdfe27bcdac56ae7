// node --test: the words for an analysis's evidence section (HazardEvidence in openapi.yaml).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evidenceDetails, evidenceText, otherSensorText, viewName } from '../src/evidence.js';

/** The flood evidence of a Sentinel-2 pair whose change rule corroborated the box (BeforeAfterIT's case). */
const corroborated = {
  level_before_cap: 'critical', level: 'critical', capped: false, verified: false, corroborated: true,
  corroborated_by: ['change_rule'], precision: 0.8912, precision_level: 'critical',
  precision_sets: ['ombria_s2_test', 'events_2021'], flagged_images: 46,
  reason: 'critical by corroboration (a change rule confirms it), not by real-label evidence of the SWIR/NIR/green model',
  seen_by: [
    { model: 'geohazard-s2flood-1.0', view: 'swir_nir_green', detections: 2, best_confidence: 0.914,
      level_before_cap: 'critical', level: 'critical', verified: false },
    { model: 'geohazard-rgb-2.0', view: 'rgb', detections: 1, best_confidence: 0.61, level_before_cap: 'high',
      level: 'medium', verified: false },
  ],
  permanent_water_excluded: 1,
};

test('the line beside the risk is the level and the reason', () => {
  assert.equal(evidenceText('flood', corroborated), `flood: critical (${corroborated.reason})`);
  assert.equal(evidenceText('landslide', { level: 'low', reason: '' }), 'landslide: low');
});

test('the details say which models saw it through which view, the precision behind the level and what corroborated it', () => {
  const details = evidenceDetails(corroborated);
  assert.deepEqual(details.map((d) => d.part), ['seen-by', 'precision', 'corroboration', 'permanent-water']);
  assert.equal(details[0].text, 'seen by: geohazard-s2flood-1.0 (SWIR/NIR/green) 2 boxes, best 0.91, critical; '
    + 'geohazard-rgb-2.0 (natural colour) 1 box, best 0.61, high → medium');
  assert.equal(details[1].text, 'real-label precision 0.89 at critical on ombria_s2_test + events_2021 '
    + '(46 images flagged): does not verify the level');
  assert.equal(details[2].text, 'corroborated by a before/after change rule: the level stands by it');
  assert.equal(details[3].text, '1 box set aside as permanent water');
});

test('a verified level says so, and an uncorroborated one says it is not', () => {
  const verified = {
    ...corroborated, verified: true, corroborated: false, corroborated_by: [], permanent_water_excluded: 0,
    seen_by: [{ ...corroborated.seen_by[0], verified: true }],
  };
  const details = evidenceDetails(verified);
  assert.deepEqual(details.map((d) => d.part), ['seen-by', 'precision', 'corroboration']);
  assert.match(details[0].text, /, critical, verified$/);
  assert.match(details[1].text, /: verifies the level$/);
  assert.equal(details[2].text, 'not corroborated');
});

test('a model without real-label evidence is named as such, and two sources are both listed', () => {
  const details = evidenceDetails({
    level: 'medium', verified: false, corroborated: true, precision: null, precision_level: null,
    precision_sets: [], flagged_images: 0, corroborated_by: ['independent_view', 'change_rule'], seen_by: [],
  });
  assert.deepEqual(details.map((d) => d.text), [
    'no real-label precision for the models that saw it',
    'corroborated by another view of the scene and a before/after change rule: the level stands by it',
  ]);
  assert.deepEqual(evidenceDetails(undefined), []);
});

test('views are named as people call them; an unknown one keeps its wire name', () => {
  assert.equal(viewName('rgb'), 'natural colour');
  assert.equal(viewName('landsat_swir'), 'landsat_swir');
});

test('a scene looked at with the other sensor says which, what of it fell on this scene and that it corroborates', () => {
  const section = {
    sha256: 'ab'.repeat(32), sensor: 'radar', model_version: 'geohazard-s1flood-1.1', risk_level: 'high',
    overlap_share: 0.981, detections: { flood: 2, landslide: 0 },
  };
  assert.equal(otherSensorText(section), 'looked at with a radar scene (geohazard-s1flood-1.1; its own level high): '
    + '2 flood boxes on this scene, covering 98 %');
  assert.equal(otherSensorText({ ...section, detections: {} }).includes('no boxes on this scene'), true);
  assert.equal(otherSensorText(undefined), null);
  const details = evidenceDetails({ ...corroborated, corroborated_by: ['other_sensor'] });
  assert.equal(details.find((d) => d.part === 'corroboration').text,
    'corroborated by a scene of the same place by the other sensor: the level stands by it');
});
