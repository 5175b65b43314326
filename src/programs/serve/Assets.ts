// The files pages load besides themselves: fbk's own stylesheet and script, and the libraries
// installed with fbk (read from node_modules, never from a path the URL gives).
import { createRequire } from "node:module"
import { VIEWER_CSS } from "./assets/ViewerStyle.js"
import { VIEWER_JS } from "./assets/ViewerScript.js"
import { MAP_CSS, MAP_JS } from "./assets/MapScript.js"
import { worldOutline } from "./WorldOutline.js"

export type Asset =
  | { readonly _tag: "Text"; readonly text: string; readonly contentType: string }
  | { readonly _tag: "Installed"; readonly specifier: string; readonly contentType: string }
  /** Text made when first asked for (once), that changes only with fbk: cached long. */
  | { readonly _tag: "Made"; readonly make: () => string; readonly contentType: string }

/** Stands in for a picture the archive has no file for. */
const PLACEHOLDER_SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#d8d8dc"/></svg>`

/** The tab's icon: Flickr's two dots, so the archive's tab is found among others. */
const FAVICON_SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="9" cy="16" r="7" fill="#0063dc"/><circle cx="23" cy="16" r="7" fill="#ff0084"/></svg>`

const requireHere = createRequire(import.meta.url)

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  png: "image/png"
}

/** The offline map's world, Natural Earth's countries at 1:50m. */
const WORLD_FILE = "world-atlas/countries-50m.json"

/** The images leaflet.css points at (its markers and layer control), beside it under images/. */
const LEAFLET_IMAGES = ["layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"]

/** A package's files as `<name>/<file>` (so a stylesheet's relative URLs resolve), each read from `<folder>/<file>`. */
const installed = (name: string, folder: string, files: ReadonlyArray<string>): ReadonlyArray<readonly [string, Asset]> =>
  files.map((file) => [
    `${name}/${file}`,
    { _tag: "Installed", specifier: `${folder}/${file}`, contentType: CONTENT_TYPES[file.split(".").pop() ?? ""] ?? "application/octet-stream" }
  ])

/** Every asset by its name under /assets/; nothing else is served from there. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ["viewer.css", { _tag: "Text", text: VIEWER_CSS, contentType: "text/css; charset=utf-8" }],
  ["viewer.js", { _tag: "Text", text: VIEWER_JS, contentType: "text/javascript; charset=utf-8" }],
  ["placeholder.svg", { _tag: "Text", text: PLACEHOLDER_SVG, contentType: "image/svg+xml" }],
  ["favicon.svg", { _tag: "Text", text: FAVICON_SVG, contentType: "image/svg+xml" }],
  ["map.js", { _tag: "Text", text: MAP_JS, contentType: "text/javascript; charset=utf-8" }],
  ["map.css", { _tag: "Text", text: MAP_CSS, contentType: "text/css; charset=utf-8" }],
  ["world-50m.json", { _tag: "Made", make: () => worldOutline(installedPath(WORLD_FILE)), contentType: "application/geo+json" }],
  ...installed("leaflet", "leaflet/dist", ["leaflet.js", "leaflet.css", ...LEAFLET_IMAGES.map((name) => `images/${name}`)]),
  ...installed("leaflet.markercluster", "leaflet.markercluster/dist", [
    "leaflet.markercluster.js",
    "MarkerCluster.css",
    "MarkerCluster.Default.css"
  ])
])

/** Where an installed library's file is on this machine. */
export const installedPath = (specifier: string): string => requireHere.resolve(specifier)
