// Shared helpers of the viewer's tests: `fbk serve` as a child process, Debian's Chromium driven by
// playwright-core, raw HTTP requests (any method, Host and path), and a film Chromium can play.
import * as http from "node:http"
import { type Browser, chromium, type Page } from "playwright-core"
import { expect } from "vitest"
import { type CliProcess, type CliResult, cliEnv, startCli } from "./support.js"

/** Debian's Chromium (`.ci/run` installs it); playwright-core downloads no browser. */
export const CHROMIUM = process.env.FBK_CHROMIUM ?? "/usr/bin/chromium"

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
  })

export interface Serving {
  /** The URL `fbk serve` printed (with its ?token= beyond loopback). */
  readonly url: URL
  readonly cli: CliProcess
  /** Sends `signal` and resolves with how the process ended. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<CliResult>
}

/** `fbk serve --home home --port 0 ...args`, once it has printed its URL. */
export const serveHome = async (home: string, args: ReadonlyArray<string> = []): Promise<Serving> => {
  const cli = startCli(["serve", "--home", home, "--port", "0", ...args], cliEnv(home), 600_000)
  cli.child.stdin!.end()
  const [, printed] = await cli.waitForStdout(/^(http:\/\/\S+)\n/)
  return {
    url: new URL(printed!),
    cli,
    stop: (signal = "SIGTERM") => {
      cli.child.kill(signal)
      return cli.done
    }
  }
}

export interface RawAnswer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

/** A request sent as given: the path unnormalised, any method, any Host. */
export const rawRequest = (
  server: URL,
  target: string,
  options: { readonly method?: string; readonly headers?: Readonly<Record<string, string>> } = {}
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const request = http.request({
      host: "127.0.0.1",
      port: Number(server.port),
      path: target,
      method: options.method ?? "GET",
      headers: { host: server.host, ...options.headers }
    }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on("error", reject)
    })
    request.on("error", reject)
    request.end()
  })

/** Every image in the viewport has loaded with pixels (naturalWidth > 0); returns how many there are. */
export const expectVisibleImagesLoaded = async (page: Page): Promise<number> => {
  const height = page.viewportSize()?.height ?? 800
  const visible = () =>
    page.locator("img").evaluateAll((images, bottom) =>
      images.map((img) => ({ img, box: img.getBoundingClientRect() }))
        .filter(({ box }) => box.bottom > 0 && box.top < bottom && box.width > 0)
        .map(({ img }) => ({ src: String(img.src), complete: Boolean(img.complete), width: Number(img.naturalWidth) })), height)
  await expect.poll(async () => (await visible()).every((img) => img.complete), { timeout: 20_000 }).toBe(true)
  const images = await visible()
  for (const img of images) expect(img.width, img.src).toBeGreaterThan(0)
  return images.length
}

/** The page's script as Chromium runs it (the tests compile without the DOM library): records a film from a canvas. */
const RECORD_FILM = `(async () => {
  const canvas = document.createElement("canvas")
  canvas.width = 64
  canvas.height = 48
  const pen = canvas.getContext("2d")
  let frame = 0
  const timer = setInterval(() => {
    pen.fillStyle = frame++ % 2 === 0 ? "#c33" : "#33c"
    pen.fillRect(0, 0, 64, 48)
  }, 30)
  const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: "video/webm" })
  const parts = []
  recorder.ondataavailable = (event) => parts.push(event.data)
  const stopped = new Promise((resolve) => (recorder.onstop = resolve))
  recorder.start()
  await new Promise((resolve) => setTimeout(resolve, 400))
  recorder.stop()
  await stopped
  clearInterval(timer)
  return Array.from(new Uint8Array(await new Blob(parts).arrayBuffer()))
})()`

/** A short WebM film recorded by Chromium itself: the simulator's MP4s carry no stream a browser can play. */
export const playableFilm = async (browser: Browser): Promise<Buffer> => {
  const page = await browser.newPage()
  try {
    return Buffer.from(await page.evaluate<ReadonlyArray<number>>(RECORD_FILM))
  } finally {
    await page.close()
  }
}
