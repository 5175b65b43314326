// `/map`: every geotagged photo, clustered, over fbk's own world outline (online tiles only with
// `fbk serve --tiles`); `/map?photo=<id>` centres on one. The points come as one compact array.
import { Context, Effect, Option } from "effect"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import { html } from "../Html.js"
import { page } from "../Layout.js"
import { MAP_SCRIPTS, MAP_STYLES } from "../MapAssets.js"

/** The online tile layer's URL template (`fbk serve --tiles`), when one was given. */
export class MapTiles extends Context.Tag("fbk/MapTiles")<MapTiles, Option.Option<string>>() {}

const tiles = Effect.map(Effect.serviceOption(MapTiles), Option.flatten)

/** Every geotagged photo as `[[id, latitude, longitude], ...]`. */
export const mapPoints = Effect.flatMap(ViewerRepository, (viewer) => viewer.geoPointsJson)

export const mapPage = (photo: string | null) =>
  Effect.gen(function*() {
    const template = Option.getOrNull(yield* tiles)
    return page(
      { title: "Map", section: "map", styles: MAP_STYLES, scripts: MAP_SCRIPTS },
      html`<h1>Map</h1><p class="muted" id="map-status">The map needs JavaScript.</p>
<div id="map" class="map" data-points="/map/points.json"${template === null ? "" : html` data-tiles="${template}"`}${
        photo === null ? "" : html` data-focus="${photo}"`
      } role="region" aria-label="Map of geotagged photos"></div>`
    )
  })
