// The /__sim control endpoints, for tests that drive the simulator from another process: reads are
// GET, changes POST with a JSON object body, decoded with Schema; a body that does not fit is a 400.

import { Either, ParseResult, Schema } from "effect"
import { AlbumError } from "./Albums.js"
import { DetailError, type Box, type PersonInput } from "./Details.js"
import { Fault, FileFault } from "./Faults.js"
import { sendJson, type Incoming, type Route } from "./Http.js"
import { nowSeconds, type SimulatorState } from "./SimulatorState.js"

const PREFIX = "/__sim/"

interface Answer {
  readonly status: number
  readonly body: unknown
}

const ok = (body: unknown): Answer => ({ status: 200, body })
const OK = ok({ ok: true })
const refused = (status: number, error: string): Answer => ({ status, body: { error } })

interface Endpoint {
  readonly method: "GET" | "POST"
  /** Nothing to answer means `{"ok": true}`. */
  readonly answer: (sim: SimulatorState, body: unknown, incoming: Incoming, now: number) => Answer | void
}

const read = (answer: (sim: SimulatorState, incoming: Incoming) => Answer): Endpoint => ({
  method: "GET",
  answer: (sim, _body, incoming) => answer(sim, incoming)
})

/** Each issue on one line with where it is in the body: `photoIds.2: Expected string, actual 5`. */
const describe = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
    .join("; ")

const change = <A, I>(schema: Schema.Schema<A, I>, answer: (sim: SimulatorState, body: A, now: number) => Answer | void): Endpoint => {
  const decode = Schema.decodeUnknownEither(schema)
  return {
    method: "POST",
    answer: (sim, body, _incoming, now) =>
      Either.match(decode(body), { onLeft: (error) => refused(400, describe(error)), onRight: (decoded) => answer(sim, decoded, now) })
  }
}

/** The `?id=` thing of a GET, or a 404 naming what is missing. */
const lookup = (incoming: Incoming, what: string, find: (id: string) => unknown): Answer => {
  const id = new URLSearchParams(incoming.rawQuery).get("id") ?? ""
  const found = find(id)
  return found === undefined ? refused(404, `no ${what} ${id}`) : ok(found)
}

// ---- bodies ----

const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })
const Ids = Schema.Array(Schema.String)
/** Endpoints that take no body accept any object, as they ignore it. */
const NoBody = Schema.Struct({})
const ById = Schema.Struct({ id: Schema.String })
const AlbumPhotos = Schema.Struct({ id: Schema.String, photoIds: Ids })
/** `{"count": n}` picks photos spread across the stream; else `{"ids": [...]}` names them. */
const IdsOrCount = Schema.Union(
  Schema.pluck(Schema.Struct({ count: Schema.NonNegativeInt }), "count"),
  Schema.pluck(Schema.Struct({ ids: Ids }), "ids")
).annotations({ message: () => ({ message: 'send {"count": n} or {"ids": [...]}', override: true }) })
const NoteBox: Schema.Schema<Box> = Schema.Struct({
  x: Schema.NonNegative,
  y: Schema.NonNegative,
  w: Schema.NonNegative,
  h: Schema.NonNegative
}).annotations({ title: "{x, y, w, h}" })
const Person: Schema.Schema<string | PersonInput> = Schema.Union(
  Schema.String,
  Schema.Struct({ nsid: Schema.String, box: optional(NoteBox) }).annotations({ title: "{nsid, box?}" })
)

// ---- endpoints ----

const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  stats: read((sim) => ok(sim.stats())),
  ids: read((sim) => ok({ ids: sim.liveIds() })),
  photo: read((sim, incoming) => lookup(incoming, "live photo", (id) => sim.photo(id))),
  "reset-stats": change(NoBody, (sim) => sim.resetStats()),
  upload: change(Schema.Struct({ count: Schema.NonNegativeInt }), (sim, { count }, now) => ok({ ids: sim.account.upload(count, now) })),
  edit: change(IdsOrCount, (sim, target, now) => ok({ ids: sim.account.edit(target, now) })),
  remove: change(IdsOrCount, (sim, target) => ok({ ids: sim.removePhotos(target) })),
  restore: change(Schema.Struct({ ids: Ids }), (sim, { ids }) => ok({ ids: sim.restorePhotos(ids) })),
  views: change(Schema.Struct({ id: Schema.String, views: Schema.Number }), (sim, { id, views }) => {
    if (!sim.account.setViews(id, views)) return refused(400, `no photo ${id}`)
  }),
  fault: change(Fault, (sim, fault) => sim.faults.add(fault)),
  "file-fault": change(FileFault, (sim, fault) => sim.fileFaults.add(fault)),
  revoke: change(NoBody, (sim) => sim.tokens.revokeAll()),
  "issue-token": change(NoBody, (sim) => ok(sim.issueReadToken())),

  // Albums and collections; an AlbumError (unknown album, collection or photo) is a 400.
  albums: read((sim) => ok({ ids: sim.albumIds() })),
  album: read((sim, incoming) => lookup(incoming, "album", (id) => sim.albums.view(id))),
  collections: read((sim) => ok({ collection: sim.collectionTree() })),
  "album-create": change(Schema.Struct({ title: Schema.String, photoIds: Ids }), (sim, { title, photoIds }, now) =>
    ok({ id: sim.albums.create(title, photoIds, now) })),
  "album-edit": change(
    Schema.Struct({ id: Schema.String, title: optional(Schema.String), description: optional(Schema.String) }),
    (sim, { id, ...changes }, now) => sim.albums.edit(id, changes, now)
  ),
  "album-delete": change(ById, (sim, { id }) => sim.albums.delete(id)),
  "album-add": change(AlbumPhotos, (sim, { id, photoIds }, now) => ok({ ids: sim.albums.add(id, photoIds, now) })),
  "album-remove": change(AlbumPhotos, (sim, { id, photoIds }, now) => ok({ ids: sim.albums.removePhotos(id, photoIds, now) })),
  "album-reorder": change(AlbumPhotos, (sim, { id, photoIds }, now) => sim.albums.reorder(id, photoIds, now)),
  "album-primary": change(Schema.Struct({ id: Schema.String, photoId: Schema.String }), (sim, { id, photoId }, now) =>
    sim.albums.setPrimary(id, photoId, now)),
  "collection-create": change(Schema.Struct({ title: Schema.String, parentId: optional(Schema.String) }), (sim, { title, parentId }, now) =>
    ok({ id: sim.albums.createCollection(title, parentId, now) })),
  "collection-albums": change(Schema.Struct({ id: Schema.String, albumIds: Ids }), (sim, { id, albumIds }) =>
    sim.albums.setCollectionAlbums(id, albumIds)),
  "collection-delete": change(ById, (sim, { id }) => sim.albums.deleteCollection(id)),

  // Per-photo details, each naming the photo `id`; a DetailError (unknown photo or note) is a 400.
  "note-add": change(Schema.Struct({ id: Schema.String, text: Schema.String, box: NoteBox }), (sim, { id, text, box }, now) =>
    ok({ id: sim.details.addNote(id, text, box, now) })),
  "note-remove": change(Schema.Struct({ id: Schema.String, noteId: Schema.String }), (sim, { id, noteId }, now) =>
    sim.details.removeNote(id, noteId, now)),
  "comment-add": change(Schema.Struct({ id: Schema.String, text: Schema.String, author: optional(Schema.String) }), (sim, { id, text, author }, now) =>
    ok({ id: sim.details.addComment(id, text, now, author) })),
  "people-set": change(Schema.Struct({ id: Schema.String, people: Schema.Array(Person) }), (sim, { id, people }, now) =>
    sim.details.setPeople(id, people, now)),

  // Files, each naming the photo `id`; an unknown or deleted photo is a 400 (a GET of its original a 404).
  original: read((sim, incoming) => lookup(incoming, "original served for photo", (id) => sim.originalFile(id))),
  replace: change(ById, (sim, { id }) => sim.replace(id)),
  "original-bytes": change(Schema.Struct({ id: Schema.String, bytes: Schema.NonNegativeInt }), (sim, { id, bytes }) => sim.setOriginalBytes(id, bytes))
}

/** Any POST body must be a JSON object, whichever endpoint it is for; an empty one counts as `{}`. */
const decodeJsonObject = Schema.decodeUnknownEither(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))

const serveControl = (sim: SimulatorState, incoming: Incoming): void => {
  const { res } = incoming
  const name = incoming.path.slice(PREFIX.length)
  const method = incoming.req.method ?? "GET"
  const body = method === "POST" && incoming.rawBody.trim() !== "" ? decodeJsonObject(incoming.rawBody) : Either.right({})
  if (Either.isLeft(body)) return sendJson(res, 400, { error: "the body must be a JSON object" })
  const endpoint = Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name] : undefined
  if (endpoint === undefined) return sendJson(res, 404, { error: `unknown control endpoint ${PREFIX}${name}` })
  if (method !== endpoint.method) return sendJson(res, 405, { error: `use ${endpoint.method} for ${PREFIX}${name}` })
  let answer: Answer
  try {
    answer = endpoint.answer(sim, body.right, incoming, nowSeconds()) ?? OK
  } catch (error) {
    if (!(error instanceof AlbumError || error instanceof DetailError)) throw error
    answer = refused(400, error.message)
  }
  sendJson(res, answer.status, answer.body)
}

export const controlRoute: Route = {
  matches: (path) => path.startsWith(PREFIX),
  serve: serveControl
}
