// The Flickr REST methods fbk uses, for the account whose token is stored, with answers
// decoded into typed values at this edge.
import { Effect, Schema } from "effect"
import { AlbumListPage, AlbumMembersPage, CollectionTreeAnswer } from "../../schema/Album.js"
import { TestLoginAnswer } from "../../schema/Auth.js"
import { CommentsAnswer, ExifAnswer, PeopleAnswer, PhotoInfoAnswer } from "../../schema/Details.js"
import { LISTING_EXTRAS, listedPage, PhotoPage } from "../../schema/Photo.js"
import { SizesAnswer } from "../../schema/Sizes.js"
import { Count } from "../../schema/Wire.js"
import { CredentialStore, signingKeys } from "../home/CredentialStore.js"
import { FlickrHttp } from "./FlickrHttp.js"

/** Flickr's largest page. */
export const MAX_PER_PAGE = 500

export interface ListQuery {
  readonly page: number
  readonly perPage: number
  /** Inclusive bounds on upload time, unix seconds. */
  readonly minUploadDate?: number | undefined
  readonly maxUploadDate?: number | undefined
}

const TotalOnly = Schema.Struct({ photos: Schema.Struct({ total: Count }) })

export class FlickrApi extends Effect.Service<FlickrApi>()("fbk/FlickrApi", {
  effect: Effect.gen(function*() {
    const http = yield* FlickrHttp
    const credentials = yield* (yield* CredentialStore).load
    const keys = signingKeys(credentials)

    /** One page of the account's photostream, newest upload first, with every extra. */
    const listPhotos = (query: ListQuery) =>
      http.call(
        "flickr.people.getPhotos",
        {
          user_id: "me",
          extras: LISTING_EXTRAS,
          per_page: String(query.perPage),
          page: String(query.page),
          ...(query.minUploadDate === undefined ? {} : { min_upload_date: String(query.minUploadDate) }),
          ...(query.maxUploadDate === undefined ? {} : { max_upload_date: String(query.maxUploadDate) })
        },
        keys,
        PhotoPage
      ).pipe(Effect.map(listedPage))

    /** How many photos the account has now: one call, one item. */
    const countPhotos = http.call("flickr.people.getPhotos", { user_id: "me", per_page: "1", page: "1" }, keys, TotalOnly)
      .pipe(Effect.map((answer) => answer.photos.total))

    /** Photos created or changed since `minDate` (unix seconds), most recent first. */
    const recentlyUpdated = (minDate: number, page: number, perPage: number) =>
      http.call(
        "flickr.photos.recentlyUpdated",
        { min_date: String(minDate), extras: LISTING_EXTRAS, per_page: String(perPage), page: String(page) },
        keys,
        PhotoPage
      ).pipe(Effect.map(listedPage))

    const testLogin = http.call("flickr.test.login", {}, keys, TestLoginAnswer)

    /** One page of the account's albums, each with its date_update. */
    const listAlbums = (page: number) =>
      http.call(
        "flickr.photosets.getList",
        { user_id: credentials.user.nsid, per_page: String(MAX_PER_PAGE), page: String(page) },
        keys,
        AlbumListPage
      ).pipe(Effect.map((answer) => answer.photosets))

    /** One page of an album's members, in the album's order (ids only: the photostream has the rest). */
    const albumMembers = (albumId: string, page: number) =>
      http.call(
        "flickr.photosets.getPhotos",
        { photoset_id: albumId, user_id: credentials.user.nsid, per_page: String(MAX_PER_PAGE), page: String(page) },
        keys,
        AlbumMembersPage
      ).pipe(Effect.map((answer) => answer.photoset))

    /** Every collection with the albums in it, in one call. */
    const collectionTree = http.call("flickr.collections.getTree", { user_id: credentials.user.nsid }, keys, CollectionTreeAnswer)

    /** One photo's details: notes, raw tags with authors, location names, safety level, counts. */
    const photoInfo = (photoId: string) => http.call("flickr.photos.getInfo", { photo_id: photoId }, keys, PhotoInfoAnswer)

    /** The EXIF of a photo's original (code 2 when its owner hides it). */
    const photoExif = (photoId: string) => http.call("flickr.photos.getExif", { photo_id: photoId }, keys, ExifAnswer)

    /** Every comment on a photo, oldest first. */
    const photoComments = (photoId: string) => http.call("flickr.photos.comments.getList", { photo_id: photoId }, keys, CommentsAnswer)

    /** Every size Flickr offers of a photo or video, with the files' URLs. */
    const photoSizes = (photoId: string) => http.call("flickr.photos.getSizes", { photo_id: photoId }, keys, SizesAnswer)

    /** Everyone marked in a photo. */
    const photoPeople = (photoId: string) => http.call("flickr.photos.people.getList", { photo_id: photoId }, keys, PeopleAnswer)

    return {
      account: credentials.user,
      photoPeople,
      photoSizes,
      photoInfo,
      photoExif,
      photoComments,
      listPhotos,
      countPhotos,
      recentlyUpdated,
      testLogin,
      listAlbums,
      albumMembers,
      collectionTree
    } as const
  })
}) {}
