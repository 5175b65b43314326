// `/status`: what `fbk status` says (counts, last syncs, files, links, problems, pending work), as a
// page, with the home's paths.
import { Clock, Effect } from "effect"
import { statusLines } from "../../status/StatusLines.js"
import { statusReport } from "../../status/StatusReport.js"
import { html, type Html } from "../Html.js"
import { page } from "../Layout.js"

/** "Label:   what it says" as its label and its text; an indented line carries on the one above, with no label. */
const labelled = (line: string): readonly [string, string] => {
  const colon = line.indexOf(":")
  return line.startsWith(" ") || colon < 0 ? ["", line.trim()] : [line.slice(0, colon), line.slice(colon + 1).trim()]
}

/** Text whose `quoted commands` show as code, as the terminal's backticks mean. */
const withCode = (text: string): Html => html`${text.split("`").map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`

export const statusPage = Effect.gen(function*() {
  const report = yield* statusReport
  const now = yield* Clock.currentTimeMillis
  const paths = [
    ["Home", report.home],
    ["Database", report.database],
    ["Files", report.files.folder ?? "none yet"]
  ] as const
  const body = html`<h1>Status</h1>
<dl class="status">${
    statusLines(report, now).filter((line) => !line.startsWith("Database:")).map(labelled).map(([label, text]) =>
      html`<dt>${label}</dt><dd>${withCode(text)}</dd>`
    )
  }</dl>
<h2>Where it is kept</h2>
<dl class="status">${paths.map(([label, value]) => html`<dt>${label}</dt><dd><code>${value}</code></dd>`)}</dl>
<p class="muted">As <code>fbk status</code> says it; <code>fbk status --json</code> gives the same as data.</p>`
  return page({ title: "Status", section: "status" }, body)
})
