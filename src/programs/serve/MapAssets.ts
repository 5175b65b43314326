// What a page with a map loads: Leaflet and Leaflet.markercluster (as module scripts they still set
// their globals, and run in order before fbk's map script), their styles and fbk's.
export const MAP_STYLES: ReadonlyArray<string> = [
  "/assets/leaflet/leaflet.css",
  "/assets/leaflet.markercluster/MarkerCluster.css",
  "/assets/leaflet.markercluster/MarkerCluster.Default.css",
  "/assets/map.css"
]

export const MAP_SCRIPTS: ReadonlyArray<string> = [
  "/assets/leaflet/leaflet.js",
  "/assets/leaflet.markercluster/leaflet.markercluster.js",
  "/assets/map.js"
]
