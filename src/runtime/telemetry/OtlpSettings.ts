/**
 * Where the bot sends its metrics, read from the OpenTelemetry SDK's standard variables so an operator configures
 * it as any other OTel service: OTEL_EXPORTER_OTLP_ENDPOINT (the collector's base URL, `/v1/metrics` appended) or
 * OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (the full URL), *_PROTOCOL (`http/protobuf`, the default, or `http/json`),
 * *_HEADERS (`key=value,...`, percent-encoded), OTEL_METRIC_EXPORT_INTERVAL (milliseconds, default 60000),
 * OTEL_SERVICE_NAME, and OTEL_SDK_DISABLED=true to switch it off. No endpoint: no export.
 */
import { Config, ConfigError, Duration, Either, Option } from "effect"

export type OtlpProtocol = "http/protobuf" | "http/json"

export interface OtlpSettings {
  /** The URL metrics are POSTed to. */
  readonly url: string
  readonly protocol: OtlpProtocol
  readonly headers: Readonly<Record<string, string>>
  readonly exportInterval: Duration.Duration
  /** Undefined when OTEL_RESOURCE_ATTRIBUTES names the service: the exporter reads it from there. */
  readonly serviceName: string | undefined
}

/** The service name when the environment gives none. */
export const defaultServiceName = "omega-bot"

const optionalText = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((value) => value.trim() !== "")))

/** The signal-specific variable wins over the general one, as the OTel specification says. */
const eitherOf = (specific: string, general: string) =>
  Config.all([optionalText(specific), optionalText(general)]).pipe(
    Config.map(([s, g]) =>
      Option.orElse(s, () => g).pipe(Option.map((value) => ({ value, name: s._tag === "Some" ? specific : general })))
    )
  )

const httpUrl = (name: string, value: string): Either.Either<string, ConfigError.ConfigError> => {
  try {
    const url = new URL(value)
    if (url.protocol === "http:" || url.protocol === "https:") return Either.right(value)
  } catch {
    // reported below
  }
  return Either.left(ConfigError.InvalidData([name], `${name} must be an http:// or https:// URL, got "${value}"`))
}

/** The metrics URL: a base endpoint gets `v1/metrics` appended; the metrics-specific one is used as it is. */
const endpoint = Config.all([
  optionalText("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
  optionalText("OTEL_EXPORTER_OTLP_ENDPOINT")
]).pipe(
  Config.mapOrFail(([metrics, base]): Either.Either<Option.Option<string>, ConfigError.ConfigError> => {
    if (Option.isSome(metrics)) {
      return Either.map(httpUrl("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", metrics.value), Option.some)
    }
    if (Option.isSome(base)) {
      return Either.map(httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", base.value), (url) =>
        Option.some(`${url.replace(/\/+$/, "")}/v1/metrics`)
      )
    }
    return Either.right(Option.none())
  })
)

const protocol = eitherOf("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL").pipe(
  Config.mapOrFail((chosen): Either.Either<OtlpProtocol, ConfigError.ConfigError> => {
    if (Option.isNone(chosen)) return Either.right("http/protobuf")
    const { name, value } = chosen.value
    if (value === "http/protobuf" || value === "http/json") return Either.right(value)
    return Either.left(
      ConfigError.InvalidData(
        [name],
        `${name} must be "http/protobuf" or "http/json" (OTLP over HTTP, usually port 4318), got "${value}"`
      )
    )
  })
)

/** `key=value` pairs separated by commas, each part percent-encoded (the W3C baggage format the spec uses). */
export const parseHeaders = (
  name: string,
  text: string
): Either.Either<Record<string, string>, ConfigError.ConfigError> => {
  const headers: Record<string, string> = {}
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue
    const at = pair.indexOf("=")
    if (at <= 0) {
      return Either.left(ConfigError.InvalidData([name], `${name} must be key=value pairs separated by commas`))
    }
    try {
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim())
    } catch {
      return Either.left(ConfigError.InvalidData([name], `${name} holds a malformed percent-encoding`))
    }
  }
  return Either.right(headers)
}

const headers = eitherOf("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS").pipe(
  Config.mapOrFail((chosen) =>
    Option.isNone(chosen) ? Either.right({}) : parseHeaders(chosen.value.name, chosen.value.value)
  )
)

const exportInterval = Config.integer("OTEL_METRIC_EXPORT_INTERVAL").pipe(
  Config.withDefault(60_000),
  Config.validate({
    message: "OTEL_METRIC_EXPORT_INTERVAL must be more than zero milliseconds",
    validation: (n) => n > 0
  }),
  Config.map(Duration.millis)
)

const serviceName = Config.all([optionalText("OTEL_SERVICE_NAME"), optionalText("OTEL_RESOURCE_ATTRIBUTES")]).pipe(
  Config.map(([name, attributes]) =>
    Option.getOrElse(name, () =>
      Option.exists(attributes, (text) => /(^|,)\s*service\.name\s*=/.test(text)) ? undefined : defaultServiceName
    )
  )
)

const disabled = Config.option(Config.string("OTEL_SDK_DISABLED")).pipe(
  Config.map(Option.exists((value) => value.trim().toLowerCase() === "true"))
)

/** The exporter's settings, or none when no endpoint is set (or the SDK is disabled). */
export const otlpSettings: Config.Config<Option.Option<OtlpSettings>> = Config.all({
  disabled,
  endpoint,
  protocol,
  headers,
  exportInterval,
  serviceName
}).pipe(
  Config.map(({ disabled, endpoint, ...rest }) =>
    disabled ? Option.none() : Option.map(endpoint, (url): OtlpSettings => ({ url, ...rest }))
  )
)
