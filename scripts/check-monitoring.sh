#!/usr/bin/env bash
# Checks the operators' monitoring files: monitoring/prometheus.yml (promtool check config), the alert rules
# (promtool check rules) and their unit tests (promtool test rules), and that the Grafana dashboard is JSON.
# Installs promtool (Debian package prometheus) when it is missing. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null; then
  echo "installing promtool (Debian package prometheus) ..."
  sudo_cmd=()
  ((EUID == 0)) || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends prometheus >/dev/null ||
    { "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y \
      --no-install-recommends prometheus >/dev/null; }
fi
promtool check config monitoring/prometheus.yml
promtool check rules monitoring/alerts.yml
promtool test rules monitoring/alerts-test.yml
python3 -c "import json,sys; d=json.load(open('monitoring/grafana-dashboard.json')); print('grafana dashboard:', len(d['panels']), 'panels')"
