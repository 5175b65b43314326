// What `fbk serve` is asked for, apart from the viewer itself, so the command line can name its
// defaults without loading the viewer (its pages load only when `fbk serve` runs).
import type { Option } from "effect"

export interface ServeOptions {
  readonly port: number
  readonly host: string
  readonly open: boolean
  /** An online tile server's URL template for the map (`{z}/{x}/{y}`), when wanted. */
  readonly tiles: Option.Option<string>
}

export const DEFAULT_PORT = 8421
export const DEFAULT_HOST = "127.0.0.1"
