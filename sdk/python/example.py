#!/usr/bin/python3
"""Upload an image, wait for its analysis, print the risk.

    PYTHONPATH=target/generated-sdk/python:sdk/python /usr/bin/python3 sdk/python/example.py \
        IMAGE [BASE_URL]
"""
import os
import sys
import time

import urllib3

import geohazard_client as gh
from geohazard_compat import ApiClient  # the generated ApiClient, able to send latitude=38.1

image = sys.argv[1]
config = gh.Configuration(host=sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080")
if os.environ.get("GEOHAZARD_API_KEY"):
    config.api_key["ApiKeyAuth"] = os.environ["GEOHAZARD_API_KEY"]  # sent as X-API-Key
# On 429 (rate limited), wait the Retry-After the node sends and call again, uploads included.
config.retries = urllib3.util.Retry(total=5, status_forcelist=[429], respect_retry_after_header=True,
                                    allowed_methods=None, backoff_factor=0, raise_on_status=False)
client = ApiClient(config)

# 202 with a pending image, or 200 with the stored analysis when this content was seen before.
accepted = gh.AnalysisApi(client).analyze_single(image, latitude=38.1, longitude=-0.76)
result = gh.ResultsApi(client).get_result(accepted.image_id)
while result.status in (gh.ImageStatus.PENDING, gh.ImageStatus.PROCESSING):
    time.sleep(0.5)
    result = gh.ResultsApi(client).get_result(accepted.image_id)

if result.status == gh.ImageStatus.FAILED:
    sys.exit(f"analysis failed: {result.failure_reason}")
analysis = result.analysis
print(f"{accepted.image_id}: risk {analysis.risk_level.value} "
      f"(landslide {analysis.landslide_probability:.2f}, flood {analysis.flood_probability:.2f}), "
      f"{len(analysis.detections)} detections")
