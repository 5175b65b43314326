// The names of the spans an effect opens, recorded by a tracer that passes every span on to the
// one in use, so a test can check a service's methods each run in a span named after it.
import { Effect, Tracer } from "effect"

/** Runs `self`, returning its result and the name of every span opened while it ran. */
export const withSpanNames = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.tracer, (tracer) => {
    const names = new Set<string>()
    const recording = Tracer.make({
      span: (name, ...rest) => {
        names.add(name)
        return tracer.span(name, ...rest)
      },
      context: (f, fiber) => tracer.context(f, fiber)
    })
    return Effect.map(Effect.withTracer(self, recording), (result) => ({ result, names }))
  })

/** `Service.member` for each member of `service`: what its spans must be called. */
export const spanNamesOf = (serviceName: string, service: object): ReadonlyArray<string> =>
  Object.keys(service).map((member) => `${serviceName}.${member}`).sort()
