// The run lock over a real database: held while the work runs and gone after it (even when the
// work fails), refused while a live process holds it, taken over from a process that died, and
// shared by nested work of one process; with --wait, waited for until its holder is gone.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Option, TestClock } from "effect"
import { spawnSync } from "node:child_process"
import { AnotherRunActive, UsageError } from "../../../src/schema/Errors.js"
import * as Database from "../../../src/services/database/Database.js"
import { RunLock, WAIT_POLL, WaitForLock, waitingLine } from "../../../src/services/database/RunLock.js"
import { configFor, tempDir, testBase } from "../../support/Fixtures.js"
import { withSpanNames } from "../../support/SpanNames.js"

const withLock = <A, E>(body: Effect.Effect<A, E, RunLock | SqlClient.SqlClient>, lines: Array<string> = []) =>
  Effect.scoped(
    Effect.gen(function*() {
      const home = yield* tempDir
      const layer = RunLock.Default.pipe(
        Layer.provideMerge(Database.layer({ create: true })),
        Layer.provide(testBase(configFor(home), lines))
      )
      return yield* body.pipe(Effect.provide(layer))
    })
  )

const holders = Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ command: string; pid: number }>`SELECT command, pid FROM run_lock`)

/** The pid of a process that has just exited: nobody has it now. */
const deadPid = (): number => Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString())

const putHolder = (pid: number, command: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO run_lock (id, command, pid, token, taken_at) VALUES (1, ${command}, ${pid}, 'other', 0)`)

const removeHolder = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM run_lock`)

/** Lets `fiber` run until it sleeps (or ends), then moves the test clock one poll on. */
const nextPoll = <A, E>(fiber: Fiber.RuntimeFiber<A, E>) =>
  Effect.gen(function*() {
    while ((yield* TestClock.sleeps()).length === 0 && Option.isNone(yield* Fiber.poll(fiber))) yield* Effect.yieldNow()
    yield* TestClock.adjust(WAIT_POLL)
  })

describe("RunLock", () => {
  it.effect("holds the lock while the work runs, and frees it after success and after failure", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        const inside = yield* lock.exclusive("backup")(holders)
        expect(inside).toEqual([{ command: "backup", pid: process.pid }])
        expect(yield* holders).toEqual([])
        const failed = yield* Effect.exit(lock.exclusive("update")(new UsageError({ reason: "no" })))
        expect(Exit.isFailure(failed)).toBe(true)
        expect(yield* holders).toEqual([])
      })
    ))

  it.effect("refuses while a live process holds it, naming it, and leaves its row alone", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        // The test runner's parent process is alive for the whole test.
        yield* putHolder(process.ppid, "details")
        let ran = false
        const refused = yield* Effect.flip(lock.exclusive("update")(Effect.sync(() => void (ran = true))))
        expect(refused).toEqual(new AnotherRunActive({ pid: process.ppid, command: "details", since: 0 }))
        expect(ran).toBe(false)
        expect(yield* holders).toEqual([{ command: "details", pid: process.ppid }])
      })
    ))

  it.effect("takes over the row of a process that died", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        yield* putHolder(deadPid(), "backup")
        const inside = yield* lock.exclusive("update")(holders)
        expect(inside).toEqual([{ command: "update", pid: process.pid }])
        expect(yield* holders).toEqual([])
      })
    ))

  it.effect("nested work of one process shares the lock, which is freed only when the outermost ends", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        const seen = yield* lock.exclusive("backup")(
          Effect.gen(function*() {
            const nested = yield* lock.exclusive("details")(holders)
            return { nested, after: yield* holders }
          })
        )
        expect(seen.nested).toEqual([{ command: "backup", pid: process.pid }])
        expect(seen.after).toEqual([{ command: "backup", pid: process.pid }])
        expect(yield* holders).toEqual([])
      })
    ))

  it.effect("frees the lock when the work is interrupted", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        const started = yield* Effect.makeLatch(false)
        const fiber = yield* Effect.fork(lock.exclusive("backup")(Effect.zipRight(started.open, Effect.never)))
        yield* started.await
        expect(yield* holders).toEqual([{ command: "backup", pid: process.pid }])
        yield* Fiber.interrupt(fiber)
        expect(yield* holders).toEqual([])
      })
    ))

  it.effect("holds the lock in a span named RunLock.exclusive", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        const { names, result } = yield* withSpanNames(lock.exclusive("backup")(holders))
        expect(result).toEqual([{ command: "backup", pid: process.pid }])
        expect([...names]).toContain("RunLock.exclusive")
      })
    ))

  it.effect("with --wait, waits for a live holder to finish, saying so in one line, then runs", () => {
    const lines: Array<string> = []
    return withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        yield* putHolder(process.ppid, "details")
        let ran = false
        const waiting = lock.exclusive("update")(Effect.tap(holders, () => Effect.sync(() => void (ran = true))))
        const fiber = yield* Effect.fork(Effect.provideService(waiting, WaitForLock, true))
        for (let poll = 0; poll < 3; poll++) yield* nextPoll(fiber)
        expect(ran).toBe(false)
        expect(yield* holders).toEqual([{ command: "details", pid: process.ppid }])
        yield* removeHolder
        yield* nextPoll(fiber)
        expect(yield* Fiber.join(fiber)).toEqual([{ command: "update", pid: process.pid }])
        expect(yield* holders).toEqual([])
        expect(lines.join("")).toBe(`${waitingLine(new AnotherRunActive({ pid: process.ppid, command: "details", since: 0 }))}\n`)
        expect(lines.join("")).toMatch(/^fbk: waiting for fbk details \(pid \d+, running since \d{4}-\d\d-\d\d \d\d:\d\d\) to finish\.\.\.\n$/)
      }),
      lines
    )
  })

  it.effect("a wait stops at once when interrupted (Ctrl-C), leaving the holder's row alone", () =>
    withLock(
      Effect.gen(function*() {
        const lock = yield* RunLock
        yield* putHolder(process.ppid, "download")
        const fiber = yield* Effect.fork(Effect.provideService(lock.exclusive("backup")(Effect.void), WaitForLock, true))
        yield* nextPoll(fiber)
        const exit = yield* Fiber.interrupt(fiber)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(yield* holders).toEqual([{ command: "download", pid: process.ppid }])
        // The interrupted wait holds nothing: this process takes the lock once the holder is gone.
        yield* removeHolder
        expect(yield* lock.exclusive("update")(holders)).toEqual([{ command: "update", pid: process.pid }])
      })
    ))
})
