/**
 * The bot's metrics reach an OTLP collector: `DatabaseLive` configured by the standard OTEL_* variables exports
 * the shadow's counters, gauges and latencies, and the compare-reads counters, to a receiver this test starts
 * (a real HTTP server, the real exporter). A collector that is down or a bad setting never costs a write.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Layer } from "effect"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { shadowPhaseLayer } from "./support/BotEnvironment.js"
import {
  type OtlpJsonExport,
  otlpReceiver,
  pointsOf,
  type ReceivedRequest,
  resourceAttributes
} from "./support/OtlpReceiver.js"

/** Phase 4 with the gauges and the exporter at short intervals, and `extra` on top. */
const shadowPhase = (extra: Record<string, string>) =>
  Effect.map(
    shadowPhaseLayer({ SHADOW_METRICS_INTERVAL_MS: "100", OTEL_METRIC_EXPORT_INTERVAL: "200", ...extra }),
    ({ layer }) => layer
  )

/** Human messages and profile increments through the services, then waits until the shadow holds them. */
const someWrites = (count: number) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const profiles = yield* UserProfileService
    yield* profiles.getOrCreateUserProfile("ana", "Ana")
    for (let i = 0; i < count; i++) {
      yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: `hello ${i}` })
      yield* profiles.incrementMessageCount("ana")
    }
    yield* messages.queryMessages({ userId: "ana", limit: 10 })
    const flushed = yield* (yield* ShadowHealth).flush(Duration.seconds(20))
    expect(flushed).toBe(true)
  })

/** Waits (up to 15 s) for a request the predicate accepts. */
const arrival = (received: ReadonlyArray<ReceivedRequest>, accept: (r: ReceivedRequest) => boolean) =>
  Effect.gen(function* () {
    for (let waited = 0; waited < 15_000; waited += 100) {
      const found = [...received].reverse().find(accept)
      if (found !== undefined) return found
      yield* Effect.sleep(Duration.millis(100))
    }
    return yield* Effect.dieMessage(`no matching OTLP export among ${received.length} requests`)
  })

const jsonOf = (request: ReceivedRequest) => JSON.parse(request.body.toString("utf8")) as OtlpJsonExport

/** Why building `layer` failed, as the operator reads it. */
const startFailure = <A, E>(layer: Layer.Layer<A, E>) =>
  Effect.map(Effect.exit(Layer.build(layer).pipe(Effect.scoped)), (exit) =>
    Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "it started"
  )

const valueOf = (body: OtlpJsonExport, metric: string, attributes: Record<string, string>) =>
  pointsOf(body)
    .filter((p) => p.metric === metric && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + p.value, 0)

describe("OTLP metrics export", () => {
  it.scopedLive(
    "sends the shadow's counters, gauges and write latencies per backend, and compare reads, over OTLP/HTTP JSON",
    () =>
      Effect.gen(function* () {
        const receiver = yield* otlpReceiver
        const layer = yield* shadowPhase({
          OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20t0ken,x-team=omega",
          COMPARE_READS_SAMPLE_RATE: "1"
        })
        yield* someWrites(20).pipe(Effect.provide(layer))

        // Closing the layer sent the last figures; before that, exports arrived every interval.
        const last = yield* arrival(receiver.received, (r) => {
          if (r.path !== "/v1/metrics") return false
          return valueOf(jsonOf(r), "shadow_writes_succeeded", { backend: "postgres" }) >= 41
        })
        expect(last.method).toBe("POST")
        expect(last.headers["content-type"]).toContain("application/json")
        expect(last.headers["authorization"]).toBe("Bearer t0ken")
        expect(last.headers["x-team"]).toBe("omega")
        const body = jsonOf(last)
        expect(resourceAttributes(body)["service.name"]).toBe("omega-bot")
        // One profile, 20 messages, 20 increments: 41 writes recorded with their outbox entry, tried and applied.
        expect(valueOf(body, "shadow_writes_recorded", { backend: "sqlite" })).toBe(41)
        expect(valueOf(body, "shadow_writes_attempted", { backend: "postgres" })).toBe(41)
        expect(valueOf(body, "shadow_writes_dead_lettered", { backend: "postgres" })).toBe(0)
        const names = new Set(pointsOf(body).map((p) => p.metric))
        for (const gauge of ["shadow_outbox_depth", "shadow_outbox_oldest_age_ms", "shadow_dead_letters"]) {
          expect(names).toContain(gauge)
        }
        expect(valueOf(body, "shadow_outbox_depth", { backend: "postgres" })).toBe(0)
        expect(valueOf(body, "database_write_latency_ms", { backend: "sqlite", role: "primary" })).toBe(41)
        expect(valueOf(body, "database_write_latency_ms", { backend: "postgres", role: "shadow" })).toBeGreaterThan(0)
        expect(valueOf(body, "compare_reads_total", {})).toBeGreaterThan(0)
      })
  )

  it.scopedLive("speaks OTLP/HTTP protobuf by default, to the metrics endpoint when one is given", () =>
    Effect.gen(function* () {
      const receiver = yield* otlpReceiver
      const layer = yield* shadowPhase({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/otlp/metrics` })
      yield* someWrites(3).pipe(Effect.provide(layer))
      const last = yield* arrival(receiver.received, (r) => r.body.includes("shadow_writes_succeeded"))
      expect(last.path).toBe("/otlp/metrics")
      expect(last.headers["content-type"]).toBe("application/x-protobuf")
      // Protobuf keeps strings as UTF-8: the metric names and the service are in the body as they are.
      expect(last.body.includes("shadow_outbox_depth")).toBe(true)
      expect(last.body.includes("omega-bot")).toBe(true)
    })
  )

  it.scopedLive("a collector that does not answer costs no write, and the bot still closes promptly", () =>
    Effect.gen(function* () {
      // A port nothing listens on: the receiver is started and stopped at once.
      const url = yield* Effect.scoped(Effect.map(otlpReceiver, (r) => r.url))
      const layer = yield* shadowPhase({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })
      const [took] = yield* Effect.timed(someWrites(30).pipe(Effect.provide(layer)))
      // Writes, flush and shutdown (the last export gives up after 3 s) well under the time of a hanging exporter.
      expect(Duration.toMillis(took)).toBeLessThan(12_000)
    })
  )

  it.scopedLive(
    "an endpoint that is not an http(s) URL, or the gRPC protocol, stops the start naming the variable",
    () =>
      Effect.gen(function* () {
        const notUrl = yield* shadowPhase({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })
        expect(yield* startFailure(notUrl)).toContain("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL")

        const grpc = yield* shadowPhase({
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4317",
          OTEL_EXPORTER_OTLP_PROTOCOL: "grpc"
        })
        expect(yield* startFailure(grpc)).toContain(
          'OTEL_EXPORTER_OTLP_PROTOCOL must be "http/protobuf" or "http/json"'
        )

        const headers = yield* shadowPhase({
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
          OTEL_EXPORTER_OTLP_HEADERS: "token"
        })
        expect(yield* startFailure(headers)).toContain("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs")
      })
  )
})
