#!/usr/bin/env bash
# Lints openapi.yaml with Redocly CLI's recommended rules; fails on any error (warnings are printed).
# The CLI is pinned in tools/contract/package.json (+ lock) and installed from npm on first use. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../tools/contract"
[[ -x node_modules/.bin/redocly ]] || npm ci --no-audit --no-fund --loglevel=error
# Redocly's banner about future Node versions goes to stderr; the verdict and the problems are what matter.
node_modules/.bin/redocly lint ../../openapi.yaml --format=summary
