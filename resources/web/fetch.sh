#!/bin/sh
# Fetch the Leaflet files the offline web map export inlines into its HTML.
#
# Run from anywhere: sh resources/web/fetch.sh
# Needs npm (only `npm pack`, which downloads the published tarball from the npm
# registry without installing anything) and tar.  The files are committed, so
# this script is only needed to upgrade or to check where the files came from;
# README.md lists versions and the sha256 of every tarball.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

LEAFLET=leaflet@1.9.4
HEAT=leaflet.heat@0.2.0
CLUSTER=leaflet.markercluster@1.5.3

npm pack --silent "$LEAFLET" "$HEAT" "$CLUSTER" > packed.txt
sha256sum ./*.tgz

mkdir leaflet heat cluster
tar -xzf leaflet-1.9.4.tgz -C leaflet
tar -xzf leaflet.heat-0.2.0.tgz -C heat
tar -xzf leaflet.markercluster-1.5.3.tgz -C cluster

mkdir -p "$HERE/leaflet/images" "$HERE/leaflet.heat"
cp leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css "$HERE/leaflet/"
cp leaflet/package/dist/images/*.png "$HERE/leaflet/images/"
cp leaflet/package/LICENSE "$HERE/leaflet/LICENSE"
cp heat/package/LICENSE "$HERE/leaflet.heat/LICENSE"
mkdir -p "$HERE/leaflet.markercluster"
cp cluster/package/dist/leaflet.markercluster.js cluster/package/dist/MarkerCluster.css \
   "$HERE/leaflet.markercluster/"
cp cluster/package/MIT-LICENCE.txt "$HERE/leaflet.markercluster/LICENSE"
# folium's HeatMap is written against folium's patched build of Leaflet.heat
# 0.2.0 (weights fix of Leaflet/Leaflet.heat PR #78, pane option), shipped in
# the folium wheel as templates/leaflet_heat.min.js; take that one, and keep
# the npm build beside it for reference.
cp heat/package/dist/leaflet-heat.js "$HERE/leaflet.heat/leaflet-heat.npm-0.2.0.js"
PYTHON=${PYTHON:-python3}
FOLIUM_TEMPLATES=$("$PYTHON" -c 'import folium, os; print(os.path.join(os.path.dirname(folium.__file__), "templates"))')
cp "$FOLIUM_TEMPLATES/leaflet_heat.min.js" "$HERE/leaflet.heat/leaflet_heat.min.js"
echo "done: files in $HERE"
