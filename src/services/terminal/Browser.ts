// Opens the Flickr authorisation page: with $BROWSER if set, else the platform's opener.
// Failing to open is not an error: the URL is always printed too.
import { Context, Effect, Layer } from "effect"
import { spawn } from "node:child_process"

export interface BrowserShape {
  /** Whether a browser was started (false: the user must open the URL). */
  readonly open: (url: URL) => Effect.Effect<boolean>
}

export class Browser extends Context.Tag("fbk/Browser")<Browser, BrowserShape>() {}

const platformOpener = (): [string, Array<string>] =>
  process.platform === "darwin" ? ["open", []] : process.platform === "win32" ? ["cmd", ["/c", "start", ""]] : ["xdg-open", []]

const launch = (command: string, args: ReadonlyArray<string>) =>
  Effect.async<boolean>((resume) => {
    try {
      const child = spawn(command, [...args], { detached: true, stdio: "ignore" })
      child.once("error", () => resume(Effect.succeed(false)))
      child.once("spawn", () => {
        child.unref()
        resume(Effect.succeed(true))
      })
    } catch {
      resume(Effect.succeed(false))
    }
  })

export const layer = Layer.succeed(
  Browser,
  Browser.of({
    open: (url) => {
      const fromEnv = process.env.BROWSER?.trim()
      if (fromEnv) {
        const [command, ...args] = fromEnv.split(/\s+/)
        return launch(command!, [...args, url.href])
      }
      const [command, args] = platformOpener()
      return launch(command, [...args, url.href])
    }
  })
)

/**
 * A "browser" that approves by itself: it follows the authorisation page's redirect back to
 * fbk's callback over real HTTP. Used by the demo against the simulator, which approves at once.
 */
export const approvingFetch = Layer.succeed(
  Browser,
  Browser.of({
    open: (url) =>
      Effect.tryPromise(() => fetch(url, { redirect: "follow" }).then((r) => r.ok)).pipe(Effect.orElseSucceed(() => false))
  })
)
