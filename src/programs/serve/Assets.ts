// The files pages load besides themselves: fbk's own stylesheet and script, and the libraries
// installed with fbk (read from node_modules, never from a path the URL gives).
import { createRequire } from "node:module"
import { VIEWER_CSS } from "./assets/ViewerStyle.js"
import { VIEWER_JS } from "./assets/ViewerScript.js"

export type Asset =
  | { readonly _tag: "Text"; readonly text: string; readonly contentType: string }
  | { readonly _tag: "Installed"; readonly specifier: string; readonly contentType: string }

/** Stands in for a picture the archive has no file for. */
const PLACEHOLDER_SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#d8d8dc"/></svg>`

const requireHere = createRequire(import.meta.url)

/** Every asset by its name under /assets/; nothing else is served from there. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ["viewer.css", { _tag: "Text", text: VIEWER_CSS, contentType: "text/css; charset=utf-8" }],
  ["viewer.js", { _tag: "Text", text: VIEWER_JS, contentType: "text/javascript; charset=utf-8" }],
  ["placeholder.svg", { _tag: "Text", text: PLACEHOLDER_SVG, contentType: "image/svg+xml" }]
])

/** Where an installed library's file is on this machine. */
export const installedPath = (specifier: string): string => requireHere.resolve(specifier)
