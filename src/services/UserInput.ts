// Answers typed by the user during setup: a prompt on a terminal (secrets not echoed), or one
// line at a time from standard input when it is a pipe.
import { Context, Effect, Layer } from "effect"
import * as readline from "node:readline"
import { SetupError } from "../schema/Errors.js"

export interface UserInputShape {
  readonly ask: (question: string, options?: { readonly secret?: boolean }) => Effect.Effect<string, SetupError>
}

export class UserInput extends Context.Tag("fbk/UserInput")<UserInput, UserInputShape>() {}

/** Lines of a piped stdin, read lazily and handed out in order. */
const pipedLines = () => {
  const waiting: Array<(line: string | undefined) => void> = []
  const buffered: Array<string> = []
  let ended = false
  let started = false
  const start = () => {
    if (started) return
    started = true
    const lines = readline.createInterface({ input: process.stdin, terminal: false })
    lines.on("line", (line) => {
      const next = waiting.shift()
      if (next) next(line)
      else buffered.push(line)
    })
    lines.on("close", () => {
      ended = true
      for (const next of waiting.splice(0)) next(undefined)
    })
  }
  return (): Promise<string | undefined> => {
    start()
    if (buffered.length > 0) return Promise.resolve(buffered.shift())
    if (ended) return Promise.resolve(undefined)
    return new Promise((resolve) => waiting.push(resolve))
  }
}

const askTerminal = (question: string, secret: boolean) =>
  new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    const output = rl as unknown as { _writeToOutput: (text: string) => void; output: NodeJS.WritableStream }
    if (secret) {
      output._writeToOutput = (text: string) => {
        if (text.startsWith(question)) output.output.write(question)
      }
    }
    rl.on("SIGINT", () => {
      rl.close()
      reject(new Error("cancelled"))
    })
    rl.question(question, (answer) => {
      if (secret) process.stderr.write("\n")
      rl.close()
      resolve(answer)
    })
  })

export const layer = Layer.sync(UserInput, () => {
  const nextPipedLine = pipedLines()
  return UserInput.of({
    ask: (question, options) =>
      Effect.tryPromise({
        try: async () => {
          if (process.stdin.isTTY) return (await askTerminal(question, options?.secret === true)).trim()
          const line = await nextPipedLine()
          if (line === undefined) throw new Error("no more input")
          return line.trim()
        },
        catch: (e) =>
          new SetupError({
            reason: (e as Error).message === "cancelled"
              ? "cancelled"
              : `no answer to "${question.trim()}" on standard input`
          })
      }).pipe(
        Effect.filterOrFail((answer) => answer !== "", () => new SetupError({ reason: `an empty answer to "${question.trim()}"` }))
      )
  })
})

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
