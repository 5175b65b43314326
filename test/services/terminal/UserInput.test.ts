// UserInput's two sources: @effect/cli prompts on a scripted terminal, and the lines of a pipe.
import { Terminal } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Mailbox, Option } from "effect"
import { Readable } from "node:stream"
import { fromLines, fromTerminal, UserInput } from "../../../src/services/terminal/UserInput.js"

const key = (name: string, input?: string, ctrl = false): Terminal.UserInput => ({
  input: Option.fromNullable(input),
  key: { name, ctrl, meta: false, shift: false }
})
const typed = (text: string) => [...text].map((c) => key(c, c))
const enter = key("return", "\r")
const ctrlC = key("c", "\u0003", true)

/**
 * A terminal whose user presses `keys`; each prompt gets the keys up to its Enter. Ctrl-C, or
 * running out of keys, ends the input as NodeTerminal does on Ctrl-C or Ctrl-D. What the prompts
 * display is kept in `shown`.
 */
const scriptedTerminal = (keys: ReadonlyArray<Terminal.UserInput>) => {
  const pending = [...keys]
  const shown: Array<string> = []
  const terminal = Terminal.Terminal.of({
    columns: Effect.succeed(80),
    rows: Effect.succeed(24),
    isTTY: Effect.succeed(true),
    readInput: Effect.gen(function*() {
      const mailbox = yield* Mailbox.make<Terminal.UserInput>()
      const end = pending.findIndex((k) => k.key.name === "return" || k.key.ctrl)
      const batch = pending.splice(0, end < 0 ? pending.length : end + 1)
      yield* mailbox.offerAll(batch)
      if (end < 0 || batch.at(-1)!.key.ctrl) yield* mailbox.end
      return mailbox
    }),
    readLine: Effect.fail(new Terminal.QuitException()),
    display: (text) => Effect.sync(() => void shown.push(text))
  })
  return { terminal, shown: () => shown.join("") }
}

const askWith = (terminal: Terminal.Terminal, questions: ReadonlyArray<readonly [string, boolean]>) =>
  Effect.gen(function*() {
    const input = yield* UserInput
    return yield* Effect.forEach(questions, ([question, secret]) => input.ask(question, { secret }))
  }).pipe(Effect.provide(fromTerminal), Effect.provideService(Terminal.Terminal, terminal))

describe("fromTerminal", () => {
  it.effect("reads each answer at its prompt; the secret is never displayed, the key is", () =>
    Effect.gen(function*() {
      const { shown, terminal } = scriptedTerminal([...typed(" key-1234 "), enter, ...typed("s3cr3t-value"), enter])
      const answers = yield* askWith(terminal, [["Flickr API key: ", false], ["Flickr API secret: ", true]])
      expect(answers).toEqual(["key-1234", "s3cr3t-value"])
      expect(shown()).toContain("Flickr API key:")
      expect(shown()).toContain("key-1234")
      expect(shown()).toContain("Flickr API secret:")
      expect(shown()).not.toContain("s3cr3t")
      expect(shown()).not.toMatch(/s.?3.?c.?r.?3.?t/)
    }))

  it.effect("Ctrl-C at a prompt, or the input ending, cancels the setup", () =>
    Effect.gen(function*() {
      const atSecret = scriptedTerminal([...typed("key"), enter, ...typed("half"), ctrlC])
      const cancelled = yield* Effect.flip(askWith(atSecret.terminal, [["Flickr API key: ", false], ["Flickr API secret: ", true]]))
      expect(cancelled).toMatchObject({ _tag: "SetupError", reason: "cancelled" })
      const ended = yield* Effect.flip(askWith(scriptedTerminal(typed("12")).terminal, [["Code shown by Flickr: ", false]]))
      expect(ended).toMatchObject({ _tag: "SetupError", reason: "cancelled" })
    }))

  it.effect("an empty answer is refused", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(askWith(scriptedTerminal([...typed("   "), enter]).terminal, [["Flickr API key: ", false]]))
      expect(error).toMatchObject({ _tag: "SetupError", reason: "an empty answer to \"Flickr API key:\"" })
    }))
})

describe("fromLines", () => {
  const askAll = (input: Readable, questions: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const user = yield* UserInput
      const answers: Array<string> = []
      for (const question of questions) answers.push(yield* user.ask(question))
      return answers
    }).pipe(Effect.provide(fromLines(input)))

  it.effect("hands out one trimmed line per question, in order, however the input is chunked", () =>
    Effect.gen(function*() {
      const input = Readable.from(["key-1", "234\r\n  secret \n", "123-456-789\nextra\n"])
      expect(yield* askAll(input, ["key: ", "secret: ", "code: "])).toEqual(["key-1234", "secret", "123-456-789"])
    }))

  it.effect("reads nothing before the first question", () =>
    Effect.gen(function*() {
      const input = Readable.from(["a\n"])
      yield* Effect.provide(UserInput, fromLines(input))
      expect(input.readableFlowing).toBeNull()
      expect(yield* askAll(input, ["q: "])).toEqual(["a"])
    }))

  it.effect("no line left, or an empty one: refused, naming the question", () =>
    Effect.gen(function*() {
      const short = yield* Effect.flip(askAll(Readable.from(["key\n"]), ["key: ", "Flickr API secret: "]))
      expect(short).toMatchObject({ _tag: "SetupError", reason: "no answer to \"Flickr API secret:\" on standard input" })
      const empty = yield* Effect.flip(askAll(Readable.from(["\nkey\n"]), ["Flickr API key: "]))
      expect(empty).toMatchObject({ _tag: "SetupError", reason: "an empty answer to \"Flickr API key:\"" })
    }))
})
