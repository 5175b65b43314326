// The per-photo methods (photos.getInfo, getExif, comments.getList, people.getList), shaped like the
// recorded bodies in flickr-samples/: `{"_content": ...}` text, numbers and strings mixed.

import { contentOf, FAMILY, FRIEND, PUBLIC, type PhotoContent, type PhotoRecord } from "./Account.js"
import {
  commentsOf, displaySize, exifHidden, exifOf, notesOf, peopleOf, personOf, placeNamesOf, tagsOf, videoDuration, type Box, type Person, type Place
} from "./Details.js"
import { formatTaken, hasNullPathAlias, pageName, photoPage } from "./PhotoItem.js"
import { hash32 } from "./Random.js"
import { fail, NOT_FOUND, parseFlickrDate, photoOf, type FlickrValue, type RestContext } from "./RestContext.js"

// Bits of a photo's getInfo drift (its own, apart from the listing's): set means "send as a string".
const LICENSE = 0
const SAFETY = 1
const GRANULARITY = 2
const VIEWS = 3
const COMMENTS = 4
const ACCURACY = 5
const TAKEN_UNKNOWN = 6
const PEOPLE_TOTAL = 7
const MACHINE_FALSE = 8 // from here, per tag: a plain tag's machine_tag is `false` rather than 0
const NOTE_X = 20 // from here, per note: x as a string, as the recording has it

const infoDrift = (record: PhotoRecord): number => hash32(`info:${record.id}`)
const bit = (bits: number, at: number): boolean => ((bits >>> (at % 32)) & 1) === 1
const maybeString = (bits: number, at: number, value: number): number | string => (bit(bits, at) ? String(value) : value)

const placeNode = (place: Place): FlickrValue => ({ _content: place.name, place_id: place.placeId, woeid: place.woeid })

const locationNode = (content: PhotoContent, bits: number): FlickrValue | undefined => {
  const location = content.location
  if (location === undefined) return undefined
  const node: FlickrValue = {
    latitude: location.latitude,
    longitude: location.longitude,
    accuracy: maybeString(bits, ACCURACY, location.accuracy),
    context: location.context
  }
  const names = placeNamesOf(location.placeId)
  if (names !== undefined) {
    if (names.neighbourhood !== undefined) node.neighbourhood = placeNode(names.neighbourhood)
    node.locality = placeNode(names.locality)
    if (names.county !== undefined) node.county = placeNode(names.county)
    node.region = placeNode(names.region)
    node.country = placeNode(names.country)
  }
  node.place_id = location.placeId
  node.woeid = location.woeid
  return node
}

const boxFields = (box: Box, bits: number, at: number): FlickrValue => ({
  x: maybeString(bits, at, box.x),
  y: box.y,
  w: box.w,
  h: box.h
})

const getInfo = (context: RestContext): FlickrValue => {
  const record = photoOf(context)
  if (record === undefined) return NOT_FOUND
  const owner = context.account.owner
  const content = contentOf(record)
  const bits = infoDrift(record)
  const { visibility } = content
  const dates: FlickrValue = {
    posted: String(record.dateUpload),
    taken: formatTaken(content),
    takengranularity: maybeString(bits, GRANULARITY, content.takenGranularity)
  }
  // Older responses have no takenunknown, as the listing's legacy items have no datetakenunknown.
  if (!record.legacy) dates.takenunknown = maybeString(bits, TAKEN_UNKNOWN, content.takenUnknown ? 1 : 0)
  dates.lastupdate = String(record.lastUpdate)
  // Only callers who may fetch originals are told their secret and format (FLICKR.md, Files).
  const original: FlickrValue = context.hosting.originals ? { originalsecret: content.originalSecret, originalformat: content.originalFormat } : {}
  const photo: FlickrValue = {
    id: record.id,
    secret: content.secret,
    server: String(content.server),
    farm: content.farm,
    dateuploaded: String(record.dateUpload),
    isfavorite: 0,
    license: maybeString(bits, LICENSE, content.license),
    safety_level: maybeString(bits, SAFETY, 0),
    rotation: 0,
    ...original,
    owner: {
      nsid: owner.nsid,
      username: owner.username,
      realname: owner.fullname,
      location: "",
      iconserver: context.icon.iconServer,
      iconfarm: context.icon.iconFarm,
      path_alias: hasNullPathAlias(content) ? null : owner.pathAlias
    },
    title: { _content: content.title },
    description: { _content: content.description },
    visibility: { ispublic: visibility & PUBLIC ? 1 : 0, isfriend: visibility & FRIEND ? 1 : 0, isfamily: visibility & FAMILY ? 1 : 0 },
    dates,
    permissions: { permcomment: 3, permaddmeta: 2 },
    views: maybeString(bits, VIEWS, record.views),
    editability: { cancomment: 1, canaddmeta: 1 },
    publiceditability: { cancomment: 1, canaddmeta: 0 },
    usage: { candownload: 1, canblog: 1, canprint: 1, canshare: 1 },
    // The same count as the listing's count_comments, whichever type each sends.
    comments: { _content: maybeString(bits, COMMENTS, content.comments) },
    notes: {
      note: notesOf(record, owner, content).map((note, i) => {
        const author = personOf(note.author, owner)
        return { id: note.id, author: author.nsid, authorname: author.username, ...boxFields(note.box, bits, NOTE_X + i), _content: note.text }
      })
    },
    people: { haspeople: peopleOf(record, owner, content).length > 0 ? 1 : 0 },
    tags: {
      tag: tagsOf(record, owner, content).map((tag, i) => ({
        id: tag.id,
        author: tag.author.nsid,
        authorname: tag.author.username,
        raw: tag.raw,
        _content: tag.normalized,
        machine_tag: tag.machine ? 1 : bit(bits, MACHINE_FALSE + i) && bit(bits, MACHINE_FALSE + i + 3) ? false : 0
      }))
    }
  }
  const location = locationNode(content, bits)
  if (location !== undefined) {
    photo.location = location
    photo.geoperms = { ispublic: visibility & PUBLIC ? 1 : 0, iscontact: 0, isfriend: visibility & FRIEND ? 1 : 0, isfamily: visibility & FAMILY ? 1 : 0 }
  }
  photo.urls = { url: [{ type: "photopage", _content: photoPage(owner, content, record.id) }] }
  photo.media = content.media
  if (content.media === "video") {
    photo.video = { ready: 1, failed: 0, pending: 0, duration: String(videoDuration(record)), width: String(content.width), height: String(content.height) }
  }
  return { photo, stat: "ok" }
}

const getExif = (context: RestContext): FlickrValue => {
  const record = photoOf(context)
  if (record === undefined) return NOT_FOUND
  if (exifHidden(record)) return fail(2, "Permission denied")
  const content = contentOf(record)
  const exif = exifOf(record, context.account.owner, content)
  return {
    photo: {
      id: record.id,
      secret: content.secret,
      server: String(content.server),
      farm: content.farm,
      camera: exif.camera,
      exif: exif.entries.map((entry) => {
        const node: FlickrValue = { tagspace: entry.tagspace, tagspaceid: 0, tag: entry.tag, label: entry.label, raw: { _content: entry.raw } }
        if (entry.clean !== undefined) node.clean = { _content: entry.clean }
        return node
      })
    },
    stat: "ok"
  }
}

const getComments = (context: RestContext): FlickrValue => {
  const record = photoOf(context)
  if (record === undefined) return NOT_FOUND
  const owner = context.account.owner
  const me = personOf(owner.nsid, owner)
  const min = parseFlickrDate(context.params.get("min_comment_date"))
  const max = parseFlickrDate(context.params.get("max_comment_date"))
  const alias = pageName(owner, contentOf(record))
  const comment = commentsOf(record, owner)
    .filter((c) => (min === undefined || c.date >= min) && (max === undefined || c.date <= max))
    .map((c) => {
      const author: Person = personOf(c.author, owner)
      return {
        id: `${me.internalId}-${record.id}-${c.id}`,
        author: author.nsid,
        authorname: author.username,
        iconserver: author.iconServer,
        iconfarm: author.iconFarm,
        datecreate: String(c.date),
        permalink: `https://www.flickr.com/photos/${alias}/${record.id}/#comment${c.id}`,
        path_alias: author.pathAlias,
        realname: author.realname,
        _content: c.text
      }
    })
  // A photo without comments has no `comment` key at all.
  return { comments: comment.length === 0 ? { photo_id: record.id } : { photo_id: record.id, comment }, stat: "ok" }
}

const getPeople = (context: RestContext): FlickrValue => {
  const record = photoOf(context)
  if (record === undefined) return NOT_FOUND
  const owner = context.account.owner
  const content = contentOf(record)
  const bits = infoDrift(record)
  const person = peopleOf(record, owner, content).map((tagged) => {
    const p = personOf(tagged.nsid, owner)
    const node: FlickrValue = {
      nsid: p.nsid,
      username: p.username,
      iconserver: p.iconServer,
      iconfarm: p.iconFarm,
      realname: p.realname,
      path_alias: p.pathAlias,
      added_by: tagged.addedBy
    }
    return tagged.box === undefined ? node : { ...node, ...boxFields(tagged.box, bits, NOTE_X) }
  })
  const { width, height } = displaySize(content)
  return {
    people: { total: maybeString(bits, PEOPLE_TOTAL, person.length), person, photo_width: String(width), photo_height: String(height) },
    stat: "ok"
  }
}

export const DETAIL_METHODS: ReadonlyArray<readonly [string, (context: RestContext) => FlickrValue]> = [
  ["flickr.photos.getInfo", getInfo],
  ["flickr.photos.getExif", getExif],
  ["flickr.photos.comments.getList", getComments],
  ["flickr.photos.people.getList", getPeople]
]
