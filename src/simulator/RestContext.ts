// What every REST method handler shares (the call's context, the failure shape, the paging arithmetic),
// apart from RestMethods so method families in other modules can use it without an import cycle.

import type { Account, PhotoRecord } from "./Account.js"
import type { Albums } from "./Albums.js"
import type { ItemContext, OwnerIcon } from "./PhotoItem.js"
import type { Hosting } from "./Sizes.js"
import type { AccessToken } from "./Tokens.js"

export type FlickrValue = Record<string, unknown>

export const fail = (code: number, message: string): FlickrValue => ({ stat: "fail", code, message })

export interface RestContext {
  readonly account: Account
  readonly albums: Albums
  readonly icon: OwnerIcon
  readonly hosting: Hosting
  readonly token: AccessToken
  readonly params: ReadonlyMap<string, string>
  readonly maxResultsPerQuery: number | undefined
}

/** A live photo of the caller's (the simulator's account is the only one): unknown and deleted ids are alike. */
export const photoOf = (context: RestContext): PhotoRecord | undefined => context.account.get(context.params.get("photo_id") ?? "")

export const NOT_FOUND = fail(1, "Photo not found")

/** What list items of this call are rendered with. */
export const itemContext = (context: RestContext): ItemContext => ({ owner: context.account.owner, icon: context.icon, hosting: context.hosting })

export const positiveInt = (text: string | undefined, fallback: number): number => {
  const n = text !== undefined && /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN
  return n >= 1 ? n : fallback
}

/** Flickr sends paging numbers sometimes as strings; which ones is fixed per page asked. */
export const pagingField = (bits: number, bit: number, value: number): number | string =>
  (((bits >>> bit) & 1) === 1 ? String(value) : value)

export const isOwner = (context: RestContext, userId: string | undefined): boolean =>
  userId === "me" || userId === context.account.owner.nsid

export interface PageSlice {
  readonly pages: number
  /** Bounds [from, to) of the items served. */
  readonly from: number
  readonly to: number
}

/** Which items a page shows. Past the last page Flickr repeats the last page rather than answering empty. */
export const pageSlice = (total: number, page: number, perPage: number): PageSlice => {
  const pages = Math.ceil(total / perPage)
  const served = Math.min(page, Math.max(1, pages))
  const from = Math.min(total, (served - 1) * perPage)
  return { pages, from, to: Math.min(total, from + perPage) }
}

/** Unix seconds, or a MySQL datetime read as UTC (both are accepted for the upload-date bounds). */
export const parseFlickrDate = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (/^-?\d{1,12}$/.test(trimmed)) return Number(trimmed)
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(trimmed)
  if (m === null) return undefined
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000
}
