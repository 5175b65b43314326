// Runs the simulator as its own process (the benchmark; `npm run simulator`): prints one JSON line with
// its URLs and credentials on stdout (with --env, shell lines pointing fbk at it), then serves until SIGTERM or SIGINT.

import { startSimulator, type FlickrSimulator, type SimulatorOptions } from "./Server.js"

const usage =
  "usage: main.js [--photos N] [--albums A] [--seed S] [--port P] [--auto-approve] [--free-account] [--latency-ms L] [--max-results-per-query M] [--env]"

const parseArgs = (argv: ReadonlyArray<string>): SimulatorOptions => {
  let options: SimulatorOptions = {}
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string
    if (flag === "--env") continue
    if (flag === "--auto-approve") {
      options = { ...options, autoApprove: true }
      continue
    }
    if (flag === "--free-account") {
      options = { ...options, freeAccount: true }
      continue
    }
    const [name, inline] = flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined]
    const text = inline ?? argv[++i]
    const value = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN
    if (Number.isNaN(value)) throw new Error(`${name} needs a non-negative integer\n${usage}`)
    switch (name) {
      case "--photos":
        options = { ...options, photos: value }
        break
      case "--albums":
        options = { ...options, albums: value }
        break
      case "--seed":
        options = { ...options, seed: value }
        break
      case "--port":
        options = { ...options, port: value }
        break
      case "--latency-ms":
        options = { ...options, latencyMs: value }
        break
      case "--max-results-per-query":
        options = { ...options, maxResultsPerQuery: value }
        break
      default:
        throw new Error(`unknown option ${name}\n${usage}`)
    }
  }
  return options
}

/** For a person: the lines to paste into another shell, with a home of its own so ~/.flickr is left alone. */
const shellLines = (sim: FlickrSimulator): string =>
  [
    `# Flickr simulator: ${sim.photoCount()} photos of ${sim.user.username} at ${sim.fileHost}; Ctrl-C stops it. In another shell:`,
    `export FBK_HOME="$(mktemp -d)"`,
    `export FBK_REST_URL=${sim.restUrl}`,
    `export FBK_OAUTH_URL=${sim.oauthUrl}`,
    `export FLICKR_API_KEY=${sim.apiKey}`,
    `export FLICKR_API_SECRET=${sim.apiSecret}`,
    `# then: fbk setup && fbk backup. Change the account: curl -d '{"count": 5}' ${sim.controlUrl}/upload (also /edit, /remove)`,
    ""
  ].join("\n")

/** For the benchmark and scripts: one JSON line. */
const jsonLine = (sim: FlickrSimulator): string =>
  `${JSON.stringify({
    restUrl: sim.restUrl,
    oauthUrl: sim.oauthUrl,
    controlUrl: sim.controlUrl,
    fileHost: sim.fileHost,
    apiKey: sim.apiKey,
    apiSecret: sim.apiSecret,
    nsid: sim.user.nsid
  })}\n`

const main = async (): Promise<void> => {
  let options: SimulatorOptions
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(2)
  }
  const simulator = await startSimulator(options)
  process.stdout.write(process.argv.includes("--env") ? shellLines(simulator) : jsonLine(simulator))
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
