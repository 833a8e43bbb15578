#!/usr/bin/env bash
# Lints an OpenAPI document with the pinned Redocly (recommended) and Spectral (spectral:oas + OWASP API
# security ruleset, .spectral.yaml) of this folder. Exits non-zero on any error of either.
#   tools/openapi/lint.sh path/to/openapi.json      (after: npm ci --prefix tools/openapi)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
document="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
status=0
"$here/node_modules/.bin/redocly" lint "$document" --config "$here/redocly.yaml" --format=stylish || status=1
"$here/node_modules/.bin/spectral" lint "$document" --ruleset "$here/.spectral.yaml" --fail-severity=error --display-only-failures || status=1
exit $status
