// What `fbk link` found, from the database: the counts and each list, as JSON and for a person.
import { Effect } from "effect"
import { DiskFileRepository } from "../../services/database/DiskFileRepository.js"
import { searchableText } from "../../services/database/SearchIndex.js"
import { formatCount } from "../../services/terminal/Reporter.js"

/** What `fbk link` found: counts, then each list (all of them, or the first few for a person). */
export const linkReport = (limit: number) =>
  Effect.gen(function*() {
    const disk = yield* DiskFileRepository
    const counts = yield* disk.counts
    const methods = yield* disk.linksByMethod
    return {
      files: counts.files,
      linked: counts.linked,
      linked_by: Object.fromEntries(methods.map((m) => [m.method, m.n])),
      ambiguous: counts.ambiguous,
      only_on_disk: counts.only_on_disk,
      only_on_flickr: yield* disk.countOnlyOnFlickr,
      unreadable: counts.unreadable,
      differ_from_original: yield* disk.countDiffering,
      gone: counts.gone,
      lists: {
        only_on_flickr: yield* disk.onlyOnFlickr(limit),
        only_on_disk: (yield* disk.filesIn("only on disk", limit)).map((f) => f.path),
        ambiguous: yield* disk.ambiguousFiles(limit),
        unreadable: (yield* disk.filesIn("unreadable", limit)).map((f) => ({ path: f.path, problem: f.detail })),
        differ_from_original: yield* disk.differing(limit)
      }
    }
  })

export type LinkReport = Effect.Effect.Success<ReturnType<typeof linkReport>>

const more = (shown: number, total: number) => (total > shown ? [`  ... and ${formatCount(total - shown)} more (--json lists them all)`] : [])

/** The report for a person: the counts, then the first few of each list. */
export const describeLinkReport = (r: LinkReport): string => {
  const by = (["sha256", "exif", "title"] as const).flatMap((method) => {
    const n = r.linked_by[method]
    return n === undefined ? [] : [`${formatCount(n)} by ${method === "sha256" ? "bytes" : method}`]
  })
  const lines = [
    `Files on disk: ${formatCount(r.files)}${r.gone > 0 ? ` (${formatCount(r.gone)} gone since they were read)` : ""}`,
    `  linked to a Flickr photo: ${formatCount(r.linked)}${by.length > 0 ? ` (${by.join(", ")})` : ""}`,
    `  ambiguous (more than one photo fits): ${formatCount(r.ambiguous)}`,
    `  only on disk (never uploaded): ${formatCount(r.only_on_disk)}`,
    `  unreadable: ${formatCount(r.unreadable)}`,
    `  linked, full size, but other bytes than the downloaded original (edited since upload): ${formatCount(r.differ_from_original)}`,
    `Photos only on Flickr (no file on your disks nor in the file store; \`fbk download\` fetches them): ${formatCount(r.only_on_flickr)}`
  ]
  const section = (title: string, entries: ReadonlyArray<string>, total: number) =>
    total === 0 ? [] : ["", `${title}:`, ...entries.map((e) => `  ${e}`), ...more(entries.length, total)]
  return [
    ...lines,
    ...section(
      "Only on Flickr",
      r.lists.only_on_flickr.map((p) => `${p.id}  ${p.date_taken ?? "undated"}  ${searchableText(p.title).trim()}`.trimEnd()),
      r.only_on_flickr
    ),
    ...section("Only on disk", r.lists.only_on_disk, r.only_on_disk),
    ...section("Ambiguous", r.lists.ambiguous.map((a) => `${a.path}  (photos ${a.candidates.join(", ")})`), r.ambiguous),
    ...section("Unreadable", r.lists.unreadable.map((u) => `${u.path}  (${u.problem ?? "unknown"})`), r.unreadable),
    ...section(
      "Edited since upload",
      r.lists.differ_from_original.map((d) => `${d.path}  (photo ${d.photo_id}; downloaded original ${d.store_path})`),
      r.differ_from_original
    )
  ].join("\n")
}
