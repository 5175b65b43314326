// The offline map's world: Natural Earth's countries at 1:50m (the `world-atlas` package, TopoJSON)
// as GeoJSON for a flat map, made once when first asked for, coordinates rounded to 0.01° (about 1 km) to stay small.
import * as fs from "node:fs"
import { feature } from "topojson-client"
import type { Topology } from "topojson-specification"

type Position = ReadonlyArray<number>
type Nested = Position | ReadonlyArray<Nested>

const isPosition = (value: Nested): value is Position => typeof value[0] === "number"

const round = (n: number) => Math.round(n * 100) / 100

/**
 * A ring for a flat map: rounded, points that rounding made the same as the one before left out,
 * and longitudes carried on past ±180 where the ring crosses the antimeridian (Russia, Fiji), so
 * the crossing is not drawn as a line across the whole world.
 */
const flatRing = (ring: ReadonlyArray<Position>, carryOn = true): Array<Position> => {
  const out: Array<Position> = []
  for (const [lon = 0, lat = 0] of ring) {
    const before = out[out.length - 1]
    let x = round(lon)
    if (before !== undefined) {
      while (carryOn && x - before[0]! > 180) x -= 360
      while (carryOn && x - before[0]! < -180) x += 360
      if (before[0] === x && before[1] === round(lat)) continue
    }
    out.push([x, round(lat)])
  }
  // A ring around the pole (Antarctica) does not end where it began once carried on: it stays as it is.
  const [first, last] = [out[0], out[out.length - 1]]
  return carryOn && first !== undefined && last !== undefined && Math.abs(last[0]! - first[0]!) > 180 ? flatRing(ring, false) : out
}

/** Polygons' and multipolygons' rings made flat (see flatRing). */
const flat = (value: Nested): Nested =>
  value.length > 0 && isPosition(value[0] as Nested) ? flatRing(value as ReadonlyArray<Position>) : (value as ReadonlyArray<Nested>).map(flat)

let made: string | undefined

/** The countries of world-atlas's TopoJSON file at `file` as one GeoJSON FeatureCollection (each with its name), as JSON text. */
export const worldOutline = (file: string): string => {
  if (made !== undefined) return made
  const topology = JSON.parse(fs.readFileSync(file, "utf8")) as Topology
  const countries = feature(topology, topology.objects["countries"]!)
  const features = "features" in countries ? countries.features : [countries]
  made = JSON.stringify({
    type: "FeatureCollection",
    features: features.filter((f) => f.geometry !== null).map((f) => ({
      type: "Feature",
      properties: { name: (f.properties as { readonly name?: string } | null)?.name ?? null },
      geometry: { type: f.geometry.type, coordinates: flat((f.geometry as { readonly coordinates: Nested }).coordinates) }
    }))
  })
  return made
}
