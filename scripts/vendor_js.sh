#!/usr/bin/env bash
# Copy the browser libraries the app serves itself (no CDN) from node_modules to matchmaking/static/vendor.
# Upgrading one: change its exact version in package.json, `npm install`, then run this script;
# tests/test_vendored_js.py fails while the copy and node_modules differ.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p matchmaking/static/vendor
cp node_modules/jsqr/dist/jsQR.js matchmaking/static/vendor/jsQR.js
cp node_modules/jsqr/LICENSE matchmaking/static/vendor/jsQR.LICENSE
echo "vendored: jsQR $(node -p "require('./node_modules/jsqr/package.json').version")"
