// The map's script and styles (a plain module over Leaflet and Leaflet.markercluster, loaded before
// it as globals): `#map` becomes the clustered map of every geotagged photo, each `.minimap` a small
// fixed map with one marker. Offline: the world is drawn from fbk's own outline; tiles only when given.
export const MAP_JS = `
const L = window.L
const getJson = async (url) => {
  const answer = await fetch(url, { credentials: "same-origin" })
  if (!answer.ok) throw new Error(url + ": " + answer.status)
  return answer.json()
}

let world
/** The world outline, fetched once per page, drawn in its own pane under any tiles. */
const addWorld = async (map) => {
  world ??= getJson("/assets/world-50m.json")
  map.createPane("world").style.zIndex = "150"
  L.geoJSON(await world, {
    pane: "world",
    interactive: false,
    style: { color: "#9aa0a8", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 }
  }).addTo(map)
}

const addTiles = (map, template) => {
  if (!template) return
  L.tileLayer(template, { maxZoom: 19, attribution: "Tiles: " + new URL(template.replace(/[{}]/g, "")).host }).addTo(map)
}

const pin = () => L.divIcon({ className: "photo-pin", iconSize: [14, 14] })

/** A small thumbnail over the marker the pointer is on, made only then. */
const preview = (marker) => {
  if (marker.getTooltip()) return marker.openTooltip()
  const image = document.createElement("img")
  image.src = "/thumbs/" + encodeURIComponent(marker.photoId) + "/small"
  image.alt = ""
  marker.bindTooltip(image, { direction: "top", offset: [0, -8], className: "photo-preview" }).openTooltip()
}

const bigMap = async (element) => {
  const status = document.getElementById("map-status")
  const say = (text) => { if (status) status.textContent = text }
  const map = L.map(element, { preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 18 }).setView([20, 0], 2)
  map.attributionControl.setPrefix("Leaflet · Natural Earth")
  addTiles(map, element.dataset.tiles)
  const [points] = await Promise.all([getJson(element.dataset.points), addWorld(map)])
  say(points.length === 1 ? "1 geotagged photo" : points.length.toLocaleString("en") + " geotagged photos")
  if (points.length === 0) return
  const icon = pin()
  const markers = points.map(([id, lat, lon]) => {
    const marker = L.marker([lat, lon], { icon, keyboard: false })
    marker.photoId = id
    return marker
  })
  const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60 })
  cluster.on("click", (event) => { location.href = "/photos/" + encodeURIComponent(event.layer.photoId) })
  cluster.on("mouseover", (event) => preview(event.layer))
  cluster.addLayers(markers)
  map.addLayer(cluster)
  const focus = element.dataset.focus
  const focused = focus ? markers.find((m) => m.photoId === focus) : undefined
  if (focused) {
    map.setView(focused.getLatLng(), element.dataset.tiles ? 15 : 9)
    cluster.zoomToShowLayer(focused, () => preview(focused))
  } else {
    if (focus) say((status?.textContent ?? "") + " · photo " + focus + " has no place on the map")
    map.fitBounds(L.latLngBounds(points.map(([, lat, lon]) => [lat, lon])), { maxZoom: 12, padding: [20, 20] })
  }
}

const miniMap = async (element) => {
  const at = [Number(element.dataset.lat), Number(element.dataset.lon)]
  const map = L.map(element, {
    preferCanvas: true, zoomControl: false, attributionControl: false, dragging: false, touchZoom: false,
    scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false
  }).setView(at, element.dataset.tiles ? 11 : 4)
  addTiles(map, element.dataset.tiles)
  L.marker(at, { icon: pin(), interactive: false, keyboard: false }).addTo(map)
  element.title = "Show on the map"
  element.addEventListener("click", () => { location.href = "/map?photo=" + encodeURIComponent(element.dataset.id) })
  await addWorld(map)
}

const big = document.getElementById("map")
if (big) bigMap(big).catch((error) => {
  console.error(error)
  const status = document.getElementById("map-status")
  if (status) status.textContent = "The map could not load: " + (error?.message ?? String(error))
})
for (const element of document.querySelectorAll(".minimap")) miniMap(element).catch(() => element.classList.add("failed"))
`

export const MAP_CSS = `
.map { height: calc(100vh - 10rem); min-height: 320px; border-radius: 6px; }
.minimap { height: 180px; border-radius: 6px; cursor: pointer; margin-top: .4rem; }
.minimap.failed { display: none; }
.leaflet-container { background: #c9dcea; font: inherit; }
.photo-pin { background: #0063dc; border: 2px solid #fff; border-radius: 50%; box-shadow: 0 0 2px rgba(0,0,0,.6); box-sizing: border-box; }
.photo-preview { padding: 3px; }
.photo-preview img { display: block; max-width: 160px; max-height: 160px; }
`
