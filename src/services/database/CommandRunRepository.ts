// The `command_runs` table: when download, verify and link last started and finished, and how it ended.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Exit, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

export const TrackedCommand = Schema.Literal("download", "verify", "link")
export type TrackedCommand = typeof TrackedCommand.Type

/** "running" stays on a run whose process was killed: the run lock then says whether it still runs. */
export const CommandRun = Schema.Struct({
  command: TrackedCommand,
  started_at: Schema.Number,
  finished_at: Schema.NullOr(Schema.Number),
  outcome: Schema.Literal("running", "succeeded", "failed", "interrupted")
})
export type CommandRun = typeof CommandRun.Type

const nowSeconds = Effect.map(Clock.currentTimeMillis, (millis) => Math.floor(millis / 1000))

export class CommandRunRepository extends Effect.Service<CommandRunRepository>()("fbk/CommandRunRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const begin = (command: TrackedCommand) =>
      Effect.flatMap(nowSeconds, (now) =>
        sql`INSERT INTO command_runs (command, started_at, finished_at, outcome) VALUES (${command}, ${now}, NULL, 'running')
            ON CONFLICT (command) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, outcome = 'running'`)

    const end = (command: TrackedCommand, outcome: CommandRun["outcome"]) =>
      Effect.flatMap(nowSeconds, (now) =>
        sql`UPDATE command_runs SET finished_at = ${now}, outcome = ${outcome} WHERE command = ${command}`)

    const findAll = SqlSchema.findAll({
      Request: Schema.Void,
      Result: CommandRun,
      execute: () => sql`SELECT command, started_at, finished_at, outcome FROM command_runs ORDER BY command`
    })

    /**
     * Runs `self` as `command`, recording its start, and its end and how (Ctrl-C: interrupted).
     * Recording is left out when it fails: it must not turn a finished command into a failed one.
     */
    const tracked = (command: TrackedCommand) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.zipRight(
        Effect.ignore(begin(command)),
        Effect.onExit(self, (exit) =>
          Effect.ignore(end(command, Exit.isSuccess(exit) ? "succeeded" : Exit.isInterrupted(exit) ? "interrupted" : "failed")))
      )

    return {
      tracked,
      /** The last run of each command that has run. */
      latest: findAll(undefined).pipe(rowsAreOurs, Effect.withSpan("CommandRunRepository.latest"))
    } as const
  })
}) {}

/** `self` run as `command`, its start and end recorded (see CommandRunRepository.tracked). */
export const trackedAs = (command: TrackedCommand) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(CommandRunRepository, (runs) => runs.tracked(command)(self))
