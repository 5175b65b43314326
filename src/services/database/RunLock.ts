// One writing fbk process per database: the `run_lock` row. Taking it is a single INSERT that
// the row's primary key lets only one process win; a row left by a process that died is freed.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Context, Duration, Effect, Option, Ref, Schema } from "effect"
import { randomUUID } from "node:crypto"
import * as os from "node:os"
import { localMinute } from "../terminal/HumanTime.js"
import { AnotherRunActive } from "../../schema/Errors.js"
import { Reporter } from "../terminal/Reporter.js"
import { changedRows, rowsAreOurs } from "./RepositoryHelpers.js"

const Holder = Schema.Struct({ command: Schema.String, pid: Schema.Number, token: Schema.String, taken_at: Schema.Number })

/** Whether process `pid` exists (EPERM: it does, under another user). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Tries to take a lock freed by a dead holder; only a holder that keeps winning races exhausts them. */
const ATTEMPTS = 5

/** `--wait`: a command finding the lock held waits for it instead of failing. */
export class WaitForLock extends Context.Reference<WaitForLock>()("fbk/WaitForLock", { defaultValue: () => false }) {}

/** How often a waiting command tries the lock again. */
export const WAIT_POLL = Duration.seconds(2)

/** The one line a waiting command says; the holder's start in local time. */
export const waitingLine = (busy: AnotherRunActive): string =>
  `fbk: waiting for fbk ${busy.command} (pid ${busy.pid}` +
  `${busy.since === null ? "" : `, running since ${localMinute(new Date(busy.since * 1000))}`}) to finish...`

export class RunLock extends Effect.Service<RunLock>()("fbk/RunLock", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const reporter = yield* Reporter
    // This process's claim: a pid can be reused, a token cannot.
    const token = randomUUID()
    const depth = yield* Ref.make(0)

    const findHolder = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Holder,
      execute: () => sql`SELECT command, pid, token, taken_at FROM run_lock WHERE id = 1`
    })

    const take = (command: string) =>
      Effect.gen(function*() {
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          const inserted = yield* changedRows(
            sql`INSERT INTO run_lock (id, command, pid, token, taken_at) VALUES (1, ${command}, ${process.pid}, ${token}, ${now})
                ON CONFLICT (id) DO NOTHING`.raw
          )
          if (inserted === 1) return
          const holder = yield* findHolder(undefined).pipe(rowsAreOurs)
          if (Option.isNone(holder)) continue
          const { pid } = holder.value
          // Taken before this machine last started: its process is gone, whoever has its pid now.
          const takenBeforeBoot = holder.value.taken_at < now - os.uptime()
          if (pid !== process.pid && !takenBeforeBoot && isAlive(pid)) {
            return yield* new AnotherRunActive({ pid, command: holder.value.command, since: holder.value.taken_at })
          }
          // Its process is gone (killed, crashed, or a reused pid that is ours): free it, unless
          // another process has just done so and taken it.
          yield* sql`DELETE FROM run_lock WHERE id = 1 AND token = ${holder.value.token}`
        }
        const holder = yield* findHolder(undefined).pipe(rowsAreOurs)
        return yield* new AnotherRunActive({
          pid: Option.match(holder, { onNone: () => 0, onSome: (h) => h.pid }),
          command: Option.match(holder, { onNone: () => "run", onSome: (h) => h.command }),
          since: Option.match(holder, { onNone: () => null, onSome: (h) => h.taken_at })
        })
      })

    /** Tries again every WAIT_POLL until the holder is gone; only the pause can be interrupted (Ctrl-C). */
    const takeWhenFree = (command: string): Effect.Effect<void, Effect.Effect.Error<ReturnType<typeof take>>> =>
      Effect.zipRight(
        Effect.interruptible(Effect.sleep(WAIT_POLL)),
        Effect.catchTag(take(command), "AnotherRunActive", () => takeWhenFree(command))
      )

    /** The lock for `command`; held by another process, waited for with --wait after one line saying so. */
    const takeOrWait = (command: string) =>
      Effect.catchTag(take(command), "AnotherRunActive", (busy) =>
        Effect.flatMap(WaitForLock, (wait) =>
          wait ? Effect.zipRight(reporter.note(waitingLine(busy)), takeWhenFree(command)) : Effect.fail(busy)))

    const release = sql`DELETE FROM run_lock WHERE id = 1 AND token = ${token}`.pipe(Effect.asVoid)

    /** Who holds the lock now, if anyone: a row left by a process that is gone holds nothing. */
    const holder = Effect.gen(function*() {
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const found = yield* findHolder(undefined).pipe(rowsAreOurs)
      return found.pipe(
        Option.filter((h) => h.pid === process.pid || (h.taken_at >= now - os.uptime() && isAlive(h.pid))),
        Option.map(({ command, pid, taken_at }) => ({ command, pid, taken_at }))
      )
    }).pipe(Effect.withSpan("RunLock.holder"))

    /**
     * Runs `self` holding the lock, taken for `command`; nested calls in one process share it
     * (`backup --details` holds it from the backup through the details).
     */
    const exclusive = (command: string) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.acquireUseRelease(
        Effect.flatMap(Ref.getAndUpdate(depth, (n) => n + 1), (held) =>
          // onError, not tapError: a wait interrupted by Ctrl-C must give its count back too.
          held > 0 ? Effect.void : Effect.onError(takeOrWait(command), () => Ref.update(depth, (n) => n - 1))),
        () => self,
        () =>
          Effect.flatMap(Ref.updateAndGet(depth, (n) => n - 1), (left) => (left > 0 ? Effect.void : Effect.ignore(release)))
      ).pipe(Effect.withSpan("RunLock.exclusive", { attributes: { command } }))

    return { exclusive, holder } as const
  })
}) {}
