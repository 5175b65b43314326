// A row of the `files` table as the file tests read it back.
export interface FileRow {
  readonly id: number
  readonly photo_id: string
  readonly role: string
  readonly path: string
  readonly bytes: number
  readonly sha256: string
  readonly not_original_reason: string | null
}
