/**
 * A TCP proxy in front of PostgreSQL that a test can cut: the shadow becomes unreachable as over a network (new
 * connections refused, open ones reset), and comes back on the same port.
 */
import { Effect } from "effect"
import * as net from "node:net"

export interface TcpProxy {
  readonly port: number
  /** The admin URL's server, reached through the proxy, for database `name`. */
  readonly urlFor: (url: string) => string
  /** Refuses new connections and resets the open ones. */
  readonly cut: Effect.Effect<void>
  /** Accepts connections again. */
  readonly restore: Effect.Effect<void>
}

const listen = (server: net.Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject)
      resolve((server.address() as net.AddressInfo).port)
    })
  })

/** A proxy to `target` (host:port), closed with the scope; `up: false` starts it cut. */
export const tcpProxy = (target: { readonly host: string; readonly port: number }, up = true) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const sockets = new Set<net.Socket>()
      const makeServer = () =>
        net.createServer((client) => {
          const upstream = net.connect(target.port, target.host)
          sockets.add(client)
          sockets.add(upstream)
          const drop = () => {
            client.destroy()
            upstream.destroy()
            sockets.delete(client)
            sockets.delete(upstream)
          }
          client.on("error", drop).on("close", drop)
          upstream.on("error", drop).on("close", drop)
          client.pipe(upstream)
          upstream.pipe(client)
        })
      let server = makeServer()
      const port = await listen(server, 0)
      let listening = true
      const cut = async () => {
        // close() calls back only once every connection has ended, so the connections are reset first.
        const closed = listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()
        listening = false
        for (const socket of sockets) socket.resetAndDestroy()
        sockets.clear()
        await closed
      }
      const restore = async () => {
        if (listening) return
        server = makeServer()
        await listen(server, port)
        listening = true
      }
      if (!up) await cut()
      return { port, cut, restore }
    }),
    (proxy) => Effect.promise(() => proxy.cut())
  ).pipe(
    Effect.map((proxy): TcpProxy => ({
      port: proxy.port,
      urlFor: (url) => {
        const parsed = new URL(url)
        parsed.hostname = "127.0.0.1"
        parsed.port = String(proxy.port)
        return parsed.toString()
      },
      cut: Effect.promise(proxy.cut),
      restore: Effect.promise(proxy.restore)
    }))
  )
