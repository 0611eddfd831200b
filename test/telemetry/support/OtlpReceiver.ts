/**
 * A local OTLP/HTTP receiver for tests: a plain HTTP server that records every request it gets (path, headers,
 * body) and answers 200, as a collector would. The test reads what arrived; nothing of the SDK is mocked.
 */
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface ReceivedRequest {
  readonly method: string
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly url: string
  readonly received: ReadonlyArray<ReceivedRequest>
}

/** Starts the receiver on a free port for the scope. */
export const otlpReceiver = Effect.acquireRelease(
  Effect.async<{ readonly server: http.Server; readonly receiver: OtlpReceiver }>((resume) => {
    const received: Array<ReceivedRequest> = []
    const server = http.createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        received.push({
          method: request.method ?? "",
          path: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks)
        })
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({ server, receiver: { url: `http://127.0.0.1:${port}`, received } }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ receiver }) => receiver))

/** A data point of an OTLP JSON export, with its attributes as a plain record. */
export interface ExportedPoint {
  readonly metric: string
  readonly kind: "sum" | "gauge" | "histogram"
  readonly attributes: Readonly<Record<string, string>>
  readonly value: number
}

interface JsonAttribute {
  readonly key: string
  readonly value: { readonly stringValue?: string }
}
interface JsonPoint {
  readonly attributes?: ReadonlyArray<JsonAttribute>
  readonly asInt?: number
  readonly asDouble?: number
  readonly count?: number
}
interface JsonMetric {
  readonly name: string
  readonly sum?: { readonly dataPoints: ReadonlyArray<JsonPoint> }
  readonly gauge?: { readonly dataPoints: ReadonlyArray<JsonPoint> }
  readonly histogram?: { readonly dataPoints: ReadonlyArray<JsonPoint> }
}
export interface OtlpJsonExport {
  readonly resourceMetrics: ReadonlyArray<{
    readonly resource: { readonly attributes: ReadonlyArray<JsonAttribute> }
    readonly scopeMetrics: ReadonlyArray<{ readonly metrics: ReadonlyArray<JsonMetric> }>
  }>
}

/** The points of one JSON export (a histogram's value is its count). */
export const pointsOf = (body: OtlpJsonExport): ReadonlyArray<ExportedPoint> =>
  body.resourceMetrics.flatMap((rm) =>
    rm.scopeMetrics.flatMap((sm) =>
      sm.metrics.flatMap((m) => {
        const [kind, points] = m.sum
          ? (["sum", m.sum.dataPoints] as const)
          : m.gauge
            ? (["gauge", m.gauge.dataPoints] as const)
            : m.histogram
              ? (["histogram", m.histogram.dataPoints] as const)
              : (["sum", []] as const)
        return points.map((p) => ({
          metric: m.name,
          kind,
          attributes: Object.fromEntries((p.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? ""])),
          value: kind === "histogram" ? (p.count ?? 0) : (p.asInt ?? p.asDouble ?? 0)
        }))
      })
    )
  )

export const resourceAttributes = (body: OtlpJsonExport): Readonly<Record<string, string>> =>
  Object.fromEntries(
    (body.resourceMetrics[0]?.resource.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? ""])
  )
