#!/usr/bin/python3
"""End-to-end check of the generated Python SDK (geohazard_client) against a live node.

    PYTHONPATH=target/generated-sdk/python:sdk/python /usr/bin/python3 sdk/python/check_sdk.py \
        --base-url http://127.0.0.1:8080 --image IMAGE [--image IMAGE2 ...] [--api-key KEY]

Prints `ok <step> <detail>` or `FAIL <step> <why>` per step; exits 0 only if every step passed.
Only the standard library, urllib3 and the SDK: it runs on Debian 12's python3 packages.
"""
import argparse
import datetime
import json
import os
import sys
import tempfile
import time
import traceback
import uuid

import urllib3

import geohazard_client as gh
from geohazard_client.exceptions import ApiException
# The generated ApiClient with two fixes: floats in forms, date-times in queries (see the module).
from geohazard_compat import ApiClient

LAT, LON = 38.1, -0.76  # any point will do; this one is in the Vega Baja del Segura (Spain)
POLL_S = 0.5


class Failed(Exception):
    pass


def make_client(base_url, api_key=None, retries=None):
    config = gh.Configuration(host=base_url)
    if api_key:
        config.api_key['ApiKeyAuth'] = api_key  # sent as X-API-Key on every operation
    if retries is not None:
        config.retries = retries  # rest.py hands it to urllib3's PoolManager (None: urllib3's default)
    return ApiClient(config)


def retry_on_429():
    """The retry policy the README recommends, as used below (keep the two identical)."""
    return urllib3.util.Retry(
        total=5,
        status_forcelist=[429],           # only the rate limit; other errors stay errors
        respect_retry_after_header=True,  # sleep exactly the Retry-After the node sent
        allowed_methods=None,             # POST too: a 429 is answered before anything is done
        backoff_factor=0,
        raise_on_status=False,            # after the last try, the 429 surfaces as ApiException
    )


def poll(fetch, done, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise Failed(f"{what} not done after {timeout_s} s: {value}")
        time.sleep(POLL_S)


def expect_error(call, status, code):
    """Runs call, which must raise ApiException with this HTTP status and body code."""
    try:
        call()
    except ApiException as e:
        body_code = json.loads(e.body or '{}').get('code')
        if e.status != status or body_code != code:
            raise Failed(f"expected {status} {code}, got {e.status} {body_code}: {e.body}")
        return e
    raise Failed(f"expected {status} {code}, got success")


def step_health(ctx):
    health = gh.OperationsApi(ctx['api']).get_health()
    if not health.status:
        raise Failed(f"no status in {health}")
    return f"status={health.status} node={health.node_id}"


def step_upload(ctx):
    analysis_api = gh.AnalysisApi(ctx['api'])
    results = gh.ResultsApi(ctx['api'])
    resp = analysis_api.analyze_single_with_http_info(
        ctx['images'][0], latitude=LAT, longitude=LON, priority=gh.Priority.HIGH)
    if resp.status_code not in (200, 202) or not resp.data.image_id:
        raise Failed(f"HTTP {resp.status_code}: {resp.data}")
    image_id = resp.data.image_id
    result = poll(lambda: results.get_result(image_id),
                  lambda r: r.status in (gh.ImageStatus.COMPLETED, gh.ImageStatus.FAILED),
                  120, f"image {image_id}")
    if result.status == gh.ImageStatus.FAILED:
        raise Failed(f"image {image_id} failed: {result.failure_reason}")
    analysis = result.analysis
    if analysis is None or analysis.risk_level is None or not isinstance(analysis.detections, list):
        raise Failed(f"incomplete analysis: {analysis}")
    geojson = results.get_result_geo_json(image_id)
    if geojson.type != 'FeatureCollection' or len(geojson.features) != len(analysis.detections):
        raise Failed(f"GeoJSON type={geojson.type} with {len(geojson.features)} features "
                     f"for {len(analysis.detections)} detections")
    ctx['image_id'] = image_id
    return (f"HTTP {resp.status_code} image_id={image_id} risk={analysis.risk_level.value} "
            f"detections={len(analysis.detections)} geojson_features={len(geojson.features)}")


def step_batch(ctx):
    accepted = gh.AnalysisApi(ctx['api']).analyze_batch(ctx['images'], latitude=LAT, longitude=LON)
    if not accepted.batch_id or accepted.rejected:
        raise Failed(f"batch not accepted whole: {accepted}")
    batches = gh.BatchesApi(ctx['api'])
    status = poll(lambda: batches.get_batch(accepted.batch_id),
                  lambda b: b.done and b.progress == 1.0, 180, f"batch {accepted.batch_id}")
    if status.completed != status.total:
        raise Failed(f"{status.failed} failed, {status.rejected} rejected: {status.items}")
    return f"batch_id={status.batch_id} total={status.total} completed={status.completed}"


def step_alerts(ctx):
    alerts = gh.AlertsApi(ctx['api'])
    active = alerts.get_active_alerts(latitude=LAT, longitude=LON, radius_km=50)
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=7)
    history = alerts.get_alert_history(var_from=since, latitude=LAT, longitude=LON, radius_km=50)
    for name, got in (('active', active), ('history', history)):
        if not (isinstance(got.alerts, list) and all(isinstance(a, gh.Alert) for a in got.alerts)
                and got.count == len(got.alerts)):
            raise Failed(f"{name}: {got}")
    return f"active={active.count} history_7d={history.count}"


def step_errors(ctx):
    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, 'x.jpg')  # the name says JPEG; the node reads the magic bytes
        with open(fake, 'w') as f:
            f.write('this is plain text, not an image\n')
        expect_error(lambda: gh.AnalysisApi(ctx['api']).analyze_single(fake),
                     415, 'unsupported_media_type')
    expect_error(lambda: gh.ResultsApi(ctx['api']).get_result(str(uuid.uuid4())), 404, 'not_found')
    return "415 unsupported_media_type, 404 not_found"


def exhaust_quota(ctx, refusals_in_a_row=16):
    """Raw GETs (no SDK, no retries) until the node refuses them all; returns (requests, Retry-After).

    Each API event loop of the node keeps its own count and learns the others' from Redis only
    every rateLimit.syncMs, so one loop can admit a request just after another started refusing
    (the limiter's documented tolerance). Every GET goes on a new connection, which the node hands
    to its loops in turn; once a loop has refused, it refuses until the window ends. So after 16
    refusals in a row every loop refuses, and so will the SDK call that follows, whichever loop it
    lands on. A Retry-After under 2 s is sat out: the window would end before that call.
    """
    url = f"{ctx['base_url']}/api/v1/results/"
    refused = 0
    for n in range(1, 20001):
        r = ctx['raw'].request('GET', url + str(uuid.uuid4()), retries=False,
                               headers={**ctx['raw'].headers, 'Connection': 'close'})
        if r.status != 429:
            refused = 0
            continue
        code = json.loads(r.data).get('code')
        retry_after = int(r.headers['Retry-After'])
        if code != 'rate_limited':
            raise Failed(f"429 with code {code}")
        if retry_after < 2:
            refused = 0
            time.sleep(retry_after)
            continue
        refused += 1
        if refused == refusals_in_a_row:
            return n, retry_after
    raise Failed("quota not exhausted after 20000 requests")


def step_retry_429(ctx):
    if 'image_id' not in ctx:
        raise Failed("needs the completed image of step upload")
    retrying = make_client(ctx['base_url'], ctx['api_key'], retries=retry_on_429())
    # The generated rest.py must hand Configuration.retries to its PoolManager.
    if retrying.rest_client.pool_manager.connection_pool_kw.get('retries') is not retrying.configuration.retries:
        raise Failed("Configuration.retries did not reach urllib3's PoolManager")

    used, retry_after = exhaust_quota(ctx)
    started = time.monotonic()
    result = gh.ResultsApi(retrying).get_result(ctx['image_id'])
    waited = time.monotonic() - started
    if result.status != gh.ImageStatus.COMPLETED or waited < retry_after - 1:
        raise Failed(f"status={result.status} after {waited:.1f} s, Retry-After was {retry_after}")

    # Without retries the same call must fail with the node's 429. Not merely without
    # Configuration.retries: left None, urllib3's default Retry(3) already sleeps out a 429's
    # Retry-After for GETs (not for POSTs); False turns retrying off.
    used_again, _ = exhaust_quota(ctx)
    plain = make_client(ctx['base_url'], ctx['api_key'], retries=False)
    expect_error(lambda: gh.ResultsApi(plain).get_result(ctx['image_id']), 429, 'rate_limited')
    return (f"429 after {used} requests, Retry-After={retry_after}s; with retries completed after "
            f"{waited:.1f}s; without retries ApiException 429 rate_limited (after {used_again})")


def step_api_key(ctx):
    # getUsage needs a key (401 api_key_required without one), so an answer proves the key was sent.
    usage = gh.OperationsApi(ctx['api']).get_usage()
    expect_error(lambda: gh.OperationsApi(make_client(ctx['base_url'])).get_usage(),
                 401, 'api_key_required')
    return f"X-API-Key sent: getUsage answered ({len(usage.hours)} rows); anonymous 401 api_key_required"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--base-url', required=True)
    parser.add_argument('--image', action='append', required=True, help='repeat for the batch')
    parser.add_argument('--api-key')
    args = parser.parse_args()

    ctx = {
        'base_url': args.base_url.rstrip('/'),
        'images': args.image,
        'api_key': args.api_key,
        # Steps 1-5 and 7 use the recommended client, so a quota left exhausted by an earlier
        # run (step retry-429 ends with one) is waited out instead of failing them.
        'api': make_client(args.base_url.rstrip('/'), args.api_key, retries=retry_on_429()),
        # The raw GETs count against the same quota as the SDK calls: same key, same address.
        'raw': urllib3.PoolManager(headers={'X-API-Key': args.api_key} if args.api_key else {}),
    }
    steps = [('health', step_health), ('upload', step_upload), ('batch', step_batch),
             ('alerts', step_alerts), ('errors', step_errors)]
    if args.api_key:
        steps.append(('api-key', step_api_key))  # before retry-429, which spends the key's quota
    steps.append(('retry-429', step_retry_429))

    failures = 0
    for name, step in steps:
        try:
            print(f"ok {name} {step(ctx)}", flush=True)
        except Failed as e:
            failures += 1
            print(f"FAIL {name} {e}", flush=True)
        except Exception as e:  # an SDK or transport error: say which, keep going
            failures += 1
            where = traceback.extract_tb(e.__traceback__)[-1]
            print(f"FAIL {name} {type(e).__name__}: {str(e).strip()} "
                  f"({os.path.basename(where.filename)}:{where.lineno})", flush=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
