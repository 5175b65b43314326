// Vitest global setup: the CLI tests run the bundled dist/fbk.js that users run, so compile src/
// into dist/ and bundle it first whenever a source file is newer than its compiled output
// (FBK_TEST_REBUILD=1 always does).
// Compiles in place (no `rm -rf dist`), so a dist/ in use by another process never vanishes.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const ROOT = path.resolve(import.meta.dirname, "../..")

const sourcesOf = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourcesOf(full)
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : []
  })

const modified = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : -1)

const isStale = (): boolean => {
  const bundled = modified(path.join(ROOT, "dist", "fbk.js"))
  return sourcesOf(path.join(ROOT, "src")).some((source) => {
    const compiled = path.join(ROOT, "dist", path.relative(ROOT, source)).replace(/\.ts$/, ".js")
    const changed = modified(source)
    return modified(compiled) < changed || bundled < changed
  })
}

export default function compileDist(): void {
  if (!process.env.FBK_TEST_REBUILD && !isStale()) return
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" })
  const npm = process.platform === "win32" ? "npm.cmd" : "npm"
  execFileSync(npm, ["run", "--silent", "bundle"], { cwd: ROOT, stdio: "inherit" })
}
