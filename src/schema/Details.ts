// A photo's details from flickr.photos.getInfo, decoded leniently into what fbk stores (the details
// row, its notes, its raw tags with their authors), with the whole answer kept in `raw`.
import { ParseResult, Schema } from "effect"
import { child, isNode, type Node, nodes, rowsOf } from "./Nodes.js"
import { looseInteger, looseNumber, looseText } from "./Wire.js"


export interface PhotoDetailsRow {
  readonly photo_id: string
  /** The photo's last_update as getInfo reports it. */
  readonly last_update: number | null
  readonly safety_level: number | null
  readonly count_comments: number | null
  readonly views: number | null
  readonly has_people: number | null
  readonly neighbourhood: string | null
  readonly locality: string | null
  readonly county: string | null
  readonly region: string | null
  readonly country: string | null
  readonly photopage_url: string | null
  readonly raw: string
}

export interface NoteRow {
  readonly note_id: string
  readonly author: string | null
  readonly author_name: string | null
  readonly x: number | null
  readonly y: number | null
  readonly w: number | null
  readonly h: number | null
  readonly text: string | null
}

export interface TagRow {
  readonly tag_id: string
  /** Flickr's normalised form (lower case, no spaces), as in the listing's `tags`. */
  readonly tag: string | null
  /** As the author typed it. */
  readonly raw: string | null
  readonly author: string | null
  readonly author_name: string | null
  readonly machine_tag: number
}

export interface PhotoInfo {
  readonly details: PhotoDetailsRow
  readonly notes: ReadonlyArray<NoteRow>
  readonly tags: ReadonlyArray<TagRow>
}

/** A place name node (`{"_content": "Richmond", "place_id": ...}`), its name only. */
const placeName = (location: Node, key: string): string | null => looseText(location[key])

/** getInfo's `photo` object, decoded; a string saying what is wrong when it has no id. */
export const photoInfoFromNode = (photo: Node): PhotoInfo | string => {
  const id = looseText(photo.id)
  if (id === null || id === "") return "a photo without an id"
  const location = child(photo, "location")
  const notes: Array<NoteRow> = []
  for (const note of nodes(child(photo, "notes").note)) {
    const noteId = looseText(note.id)
    if (noteId === null) return "a note without an id"
    notes.push({
      note_id: noteId,
      author: looseText(note.author),
      author_name: looseText(note.authorname),
      x: looseNumber(note.x),
      y: looseNumber(note.y),
      w: looseNumber(note.w),
      h: looseNumber(note.h),
      text: looseText(note._content)
    })
  }
  const tags: Array<TagRow> = []
  for (const tag of nodes(child(photo, "tags").tag)) {
    const tagId = looseText(tag.id)
    if (tagId === null) return "a tag without an id"
    tags.push({
      tag_id: tagId,
      tag: looseText(tag._content),
      raw: looseText(tag.raw),
      author: looseText(tag.author),
      author_name: looseText(tag.authorname),
      // 0, 1, "1", false or true, depending on the era.
      machine_tag: (looseNumber(tag.machine_tag) ?? 0) !== 0 ? 1 : 0
    })
  }
  const photopage = nodes(child(photo, "urls").url).find((url) => url.type === "photopage")
  return {
    details: {
      photo_id: id,
      last_update: looseInteger(child(photo, "dates").lastupdate),
      safety_level: looseInteger(photo.safety_level),
      // A text node whose content is a number: {"_content": "15"}.
      count_comments: looseInteger(looseText(photo.comments)),
      views: looseInteger(photo.views),
      has_people: looseInteger(child(photo, "people").haspeople),
      neighbourhood: placeName(location, "neighbourhood"),
      locality: placeName(location, "locality"),
      county: placeName(location, "county"),
      region: placeName(location, "region"),
      country: placeName(location, "country"),
      photopage_url: photopage === undefined ? null : looseText(photopage._content),
      raw: JSON.stringify(photo)
    },
    notes,
    tags
  }
}

/** The answer of flickr.photos.getInfo. */
export const PhotoInfoAnswer = Schema.transformOrFail(
  Schema.Struct({ photo: Schema.Unknown }),
  Schema.Any as Schema.Schema<PhotoInfo>,
  {
    strict: true,
    decode: (answer, _, ast) => {
      const decoded = isNode(answer.photo) ? photoInfoFromNode(answer.photo) : "no photo in the answer"
      return typeof decoded === "string" ? ParseResult.fail(new ParseResult.Type(ast, answer, decoded)) : ParseResult.succeed(decoded)
    },
    encode: (info) => ParseResult.fail(new ParseResult.Forbidden(Schema.Unknown.ast, info, "decode only"))
  }
)

/** A row of `exif`: one tag of the original's metadata. */
export interface ExifRow {
  readonly tagspace: string
  readonly tag: string
  readonly label: string | null
  /** As received; numbers (resolutions, ISO) become text. */
  readonly raw: string | null
  readonly clean: string | null
}

/** A row of `photo_people`: someone marked in the photo, with their box when one was drawn. */
export interface PersonRow {
  readonly nsid: string
  readonly username: string | null
  readonly realname: string | null
  readonly path_alias: string | null
  readonly added_by: string | null
  readonly x: number | null
  readonly y: number | null
  readonly w: number | null
  readonly h: number | null
  readonly raw: string
}

/** A row of `comments`. */
export interface CommentRow {
  readonly comment_id: string
  readonly author: string | null
  readonly author_name: string | null
  readonly created: number | null
  readonly permalink: string | null
  readonly text: string | null
  readonly raw: string
}

/** The rows of the list at `answer[root][key]` (a missing list: none), as a plain array. */
const listAt = <Row>(root: string, key: string, what: string, toRow: (item: Node) => Row | null) =>
  Schema.transform(
    Schema.Struct({ [root]: Schema.Struct({ [key]: Schema.optionalWith(rowsOf(what, toRow), { default: () => [] }) }) }),
    Schema.Array(Schema.Any as Schema.Schema<Row>),
    {
      strict: false,
      decode: (answer) => (answer[root] as Record<string, ReadonlyArray<Row>>)[key]!,
      encode: (rows) => ({ [root]: { [key]: rows } })
    }
  )

/** flickr.photos.getExif: the tags of the photo's original. */
export const ExifAnswer = listAt<ExifRow>("photo", "exif", "an EXIF tag", (item) => {
  const tagspace = looseText(item.tagspace)
  const tag = looseText(item.tag)
  if (tagspace === null || tag === null) return null
  return { tagspace, tag, label: looseText(item.label), raw: looseText(item.raw), clean: looseText(item.clean) }
})

/** flickr.photos.comments.getList: every comment, oldest first. No `comment` key means none. */
export const CommentsAnswer = listAt<CommentRow>("comments", "comment", "a comment", (item) => {
  const id = looseText(item.id)
  if (id === null || id === "") return null
  return {
    comment_id: id,
    author: looseText(item.author),
    author_name: looseText(item.authorname),
    created: looseInteger(item.datecreate),
    permalink: looseText(item.permalink),
    text: looseText(item._content),
    raw: JSON.stringify(item)
  }
})

/** flickr.photos.people.getList: everyone marked in the photo. Boxes are in the 500-pixel display's coordinates. */
export const PeopleAnswer = listAt<PersonRow>("people", "person", "a person", (item) => {
  const nsid = looseText(item.nsid)
  if (nsid === null || nsid === "") return null
  return {
    nsid,
    username: looseText(item.username),
    realname: looseText(item.realname),
    path_alias: looseText(item.path_alias),
    added_by: looseText(item.added_by),
    x: looseNumber(item.x),
    y: looseNumber(item.y),
    w: looseNumber(item.w),
    h: looseNumber(item.h),
    raw: JSON.stringify(item)
  }
})
