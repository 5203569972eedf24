#!/usr/bin/env bash
# Vendor the Leaflet files that folium references, so the map loads nothing from a CDN.
#
# Reproducible: the version is the one folium pins (folium.folium._default_js), fetched from the
# npm registry with `npm pack` (tarball integrity checked by npm) into a temporary folder; only the
# files the map needs are copied to static/vendor/leaflet-<version>/ and listed with their sha256
# in static/vendor/MANIFEST.txt. Run from the repository root: bash scripts/vendor_leaflet.sh
#
# Only Leaflet is vendored. folium's other defaults (jQuery, Bootstrap, Leaflet.awesome-markers,
# Font Awesome, glyphicons, awesome-rotate CSS) are not used by the app's maps (one GeoJSON layer
# with circle markers, plain Leaflet popups and tooltips, an HTML legend), so socialmap.maps drops
# them from the page instead of serving them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
VERSION=$("$PY" -c 'import re, folium.folium as f; print(re.search(r"leaflet@([0-9.]+)/", dict(f._default_js)["leaflet"]).group(1))')
DEST="static/vendor/leaflet-${VERSION}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "leaflet@${VERSION}" >/dev/null && tar -xzf "leaflet-${VERSION}.tgz")
rm -rf "$DEST"
mkdir -p "$DEST/images"
cp "$TMP/package/dist/leaflet.js" "$TMP/package/dist/leaflet.css" "$TMP/package/LICENSE" "$DEST/"
cp "$TMP/package/dist/images/"*.png "$DEST/images/"
{
  echo "# Vendored by scripts/vendor_leaflet.sh from the npm registry (npm pack leaflet@${VERSION})."
  echo "# Leaflet is BSD-2-Clause (see LICENSE next to the files)."
  (cd static/vendor && find . -type f ! -name MANIFEST.txt | sort | xargs sha256sum)
} > static/vendor/MANIFEST.txt
echo "vendored leaflet ${VERSION} into ${DEST}"
