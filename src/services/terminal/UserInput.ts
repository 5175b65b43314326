// Answers typed by the user during setup: @effect/cli prompts on a terminal (secrets not
// echoed), or one line at a time from standard input when it is a pipe.
import { Prompt } from "@effect/cli"
import { Terminal } from "@effect/platform"
import { Context, Effect, Layer, Redacted } from "effect"
import * as readline from "node:readline"
import type { Readable } from "node:stream"
import { SetupError } from "../../schema/Errors.js"

export interface UserInputShape {
  readonly ask: (question: string, options?: { readonly secret?: boolean }) => Effect.Effect<string, SetupError>
}

export class UserInput extends Context.Tag("fbk/UserInput")<UserInput, UserInputShape>() {}

/** The answer without surrounding blanks; an empty one is refused, as there is no default. */
const nonEmpty = (question: string) => (answer: Effect.Effect<string, SetupError>) =>
  answer.pipe(
    Effect.map((text) => text.trim()),
    Effect.filterOrFail((text) => text !== "", () => new SetupError({ reason: `an empty answer to "${question.trim()}"` }))
  )

/** Prompts on the terminal; Ctrl-C or Ctrl-D at a prompt cancels the setup. */
export const fromTerminal: Layer.Layer<UserInput, never, Terminal.Terminal> = Layer.effect(
  UserInput,
  Effect.map(Terminal.Terminal, (terminal) =>
    UserInput.of({
      ask: (question, options) => {
        const message = question.trim()
        const prompt = options?.secret === true
          ? Prompt.hidden({ message }).pipe(Prompt.map(Redacted.value))
          : Prompt.text({ message })
        return prompt.pipe(
          Effect.provideService(Terminal.Terminal, terminal),
          // The prompt's line is left open; end it so the error gets a line of its own.
          Effect.catchAll(() =>
            Effect.zipRight(Effect.ignore(terminal.display("\n")), Effect.fail(new SetupError({ reason: "cancelled" })))
          ),
          nonEmpty(question)
        )
      }
    }))
)

/** Answers from `input`, one a line; nothing is read before the first question. */
export const fromLines = (input: Readable): Layer.Layer<UserInput> =>
  Layer.sync(UserInput, () => {
    let lines: AsyncIterator<string> | undefined
    return UserInput.of({
      ask: (question) => {
        const noAnswer = () => new SetupError({ reason: `no answer to "${question.trim()}" on standard input` })
        return Effect.tryPromise({
          try: () => (lines ??= readline.createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()).next(),
          catch: noAnswer
        }).pipe(
          Effect.flatMap((line) => (line.done === true ? Effect.fail(noAnswer()) : Effect.succeed(line.value))),
          nonEmpty(question)
        )
      }
    })
  })

/** Prompts when standard input is a terminal, else its lines (scripts, tests). */
export const layer: Layer.Layer<UserInput, never, Terminal.Terminal> = Layer.unwrapEffect(
  Effect.sync(() => (process.stdin.isTTY ? fromTerminal : fromLines(process.stdin)))
)

/** For tests and the demo: fixed answers, in order. */
export const fixed = (answers: ReadonlyArray<string>) =>
  Layer.sync(UserInput, () => {
    const queue = [...answers]
    return UserInput.of({
      ask: (question) => {
        const answer = queue.shift()
        return answer === undefined
          ? Effect.fail(new SetupError({ reason: `no answer to "${question.trim()}"` }))
          : Effect.succeed(answer)
      }
    })
  })
