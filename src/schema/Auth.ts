// What Flickr's OAuth endpoints and token checks answer.
import { Schema } from "effect"
import { LooseText } from "./Wire.js"

/** `request_token` answers form-encoded. */
export const RequestTokenAnswer = Schema.Struct({
  oauth_callback_confirmed: Schema.optional(Schema.String),
  oauth_token: Schema.NonEmptyString,
  oauth_token_secret: Schema.Redacted(Schema.String)
})
export type RequestTokenAnswer = typeof RequestTokenAnswer.Type

/** `access_token` answers form-encoded; fullname may be empty or non-ASCII. */
export const AccessTokenAnswer = Schema.Struct({
  oauth_token: Schema.NonEmptyString,
  oauth_token_secret: Schema.Redacted(Schema.String),
  user_nsid: Schema.NonEmptyString,
  username: Schema.String,
  fullname: Schema.optionalWith(Schema.String, { default: () => "" })
})
export type AccessTokenAnswer = typeof AccessTokenAnswer.Type

/** `flickr.test.login`. */
export const TestLoginAnswer = Schema.Struct({
  user: Schema.Struct({
    id: Schema.String,
    username: LooseText
  })
})

/** The account a token belongs to, as fbk stores it in `users`. */
export const Account = Schema.Struct({
  nsid: Schema.String,
  username: Schema.String,
  fullname: Schema.String
})
export type Account = typeof Account.Type
