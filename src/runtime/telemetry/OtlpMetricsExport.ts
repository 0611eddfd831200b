/**
 * The bot's metrics (shadow writes recorded/attempted/applied/dead-lettered/retried, outbox depth and age, dead
 * letters, failure rate, write latency per backend, reads per database, compare reads) pushed to an OTLP collector
 * over HTTP by `@effect/opentelemetry`, which reads Effect's process-wide metric registry at each interval. It is
 * loaded only when an endpoint is configured, so a bot that exports nothing loads none of it; a collector that is
 * down costs the bot nothing but a debug log (the exporter backs off for a minute). When the layer closes, the
 * last figures are sent (within `shutdownTimeout`).
 */
import { type ConfigError, Duration, Effect, Layer, Option } from "effect"
import { type OtlpSettings, otlpSettings } from "./OtlpSettings.js"

/** How long closing the layer waits for the last export. */
const shutdownTimeout = Duration.seconds(3)

/** The exporter for explicit settings. */
export const otlpMetricsLayer = (settings: OtlpSettings): Layer.Layer<never> =>
  Layer.unwrapEffect(
    Effect.promise(async () => {
      const [OtlpMetrics, OtlpSerialization, FetchHttpClient] = await Promise.all([
        import("@effect/opentelemetry/OtlpMetrics"),
        import("@effect/opentelemetry/OtlpSerialization"),
        import("@effect/platform/FetchHttpClient")
      ])
      return OtlpMetrics.layer({
        url: settings.url,
        headers: settings.headers,
        exportInterval: settings.exportInterval,
        shutdownTimeout,
        resource: settings.serviceName === undefined ? undefined : { serviceName: settings.serviceName }
      }).pipe(
        Layer.provide(
          settings.protocol === "http/json" ? OtlpSerialization.layerJson : OtlpSerialization.layerProtobuf
        ),
        Layer.provide(FetchHttpClient.layer)
      )
    })
  )

/** The exporter the environment asks for (OTEL_EXPORTER_OTLP_*), or nothing when no endpoint is set. */
export const OtlpMetricsFromEnv: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(otlpSettings, Option.match({ onNone: () => Layer.empty, onSome: otlpMetricsLayer }))
)
