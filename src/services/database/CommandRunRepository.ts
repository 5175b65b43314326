// The `command_runs` table: when download, verify and link last finished, and whether they succeeded.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Exit, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

export const TrackedCommand = Schema.Literal("download", "verify", "link")
export type TrackedCommand = typeof TrackedCommand.Type

export const CommandRun = Schema.Struct({
  command: TrackedCommand,
  finished_at: Schema.Number,
  outcome: Schema.Literal("succeeded", "failed")
})
export type CommandRun = typeof CommandRun.Type

export class CommandRunRepository extends Effect.Service<CommandRunRepository>()("fbk/CommandRunRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const record = Effect.fn("CommandRunRepository.record")((run: CommandRun) =>
      sql`INSERT INTO command_runs ${sql.insert(run)}
          ON CONFLICT (command) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome`.pipe(Effect.asVoid)
    )

    const findAll = SqlSchema.findAll({
      Request: Schema.Void,
      Result: CommandRun,
      execute: () => sql`SELECT command, finished_at, outcome FROM command_runs`
    })

    /**
     * Runs `self` as `command`, recording when it ended and how; a run interrupted (Ctrl-C) is not
     * one that ran. A failure to record is left out: it must not turn a finished command into a failed one.
     */
    const tracked = (command: TrackedCommand) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.onExit(self, (exit) =>
        Exit.isInterrupted(exit) ? Effect.void : Clock.currentTimeMillis.pipe(
          Effect.flatMap((now) =>
            record({ command, finished_at: Math.floor(now / 1000), outcome: Exit.isSuccess(exit) ? "succeeded" : "failed" })
          ),
          Effect.ignore
        ))

    return {
      tracked,
      /** The last run of each command that has run. */
      latest: findAll(undefined).pipe(rowsAreOurs, Effect.withSpan("CommandRunRepository.latest"))
    } as const
  })
}) {}

/** `self` run as `command`, its end recorded (see CommandRunRepository.tracked). */
export const trackedAs = (command: TrackedCommand) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(CommandRunRepository, (runs) => runs.tracked(command)(self))
