// Runs the app on a real socket (@hono/node-server), syncs the desk every N seconds through the
// writer (so a sync never interleaves with a commit), and stops cleanly: no new connections, the
// queued writes finished, then exit.
import type {AddressInfo} from 'node:net'
import {importModule} from '../../runtime.js'
import type {Desk} from '../../store/desk.js'
import {createServeApp, type ServeOptions, type ServeState} from './app.js'

export interface RunningServer {
  url: string
  port: number
  state: ServeState
  close: () => Promise<void>
  /** One sync now (what the timer runs). */
  syncNow: () => Promise<void>
}

export async function startServer(desk: Desk, opts: ServeOptions & {host?: string; port?: number; syncEvery?: number | null; remote?: string}): Promise<RunningServer> {
  const {serve} = await importModule<typeof import('@hono/node-server')>('@hono/node-server')
  const outbox = await outboxCounter(desk)
  const {app, writer, state} = await createServeApp(desk, opts, {syncEvery: opts.syncEvery ?? null, outbox})
  const host = opts.host ?? '127.0.0.1'
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({fetch: app.fetch, port: opts.port ?? 8080, hostname: host}, () => resolve(s))
    s.once('error', reject)
  })
  // Idle connections stay open longer than clients keep them (undici: 4 s, proxies: 60 s), so a
  // client never sends a request on a socket the server is closing.
  const http = server as unknown as {keepAliveTimeout: number; headersTimeout: number}
  http.keepAliveTimeout = 65_000
  http.headersTimeout = 66_000
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const syncNow = () =>
    writer.exclusive(async () => {
      const at = desk.now().toISOString()
      try {
        const {syncDesk} = await import('../sync.js')
        const {result} = await syncDesk(desk.io, {remote: opts.remote})
        state.lastSync = {at, ok: true, error: null, fetched: result.fetched, pushed: result.pushed}
        // The server keeps serving: conflicts wait on /healthz for a person to settle them with `tix sync --take`.
        state.conflicts = [
          ...result.conflicts.map((c) => ({path: c.path, message: c.message})),
          ...result.pending.filter((p) => !result.conflicts.some((c) => c.copy === p)).map((p) => ({path: p, message: `a conflict copy waits: settle it with \`tix sync --resolve ${p} --take current\` (or --take copy)`})),
        ]
      } catch (error) {
        state.lastSync = {at, ok: false, error: (error as Error).message, fetched: 0, pushed: 0}
        desk.io.warn(`tix serve: sync failed: ${(error as Error).message}`)
      }
    })
  let timer: NodeJS.Timeout | null = null
  if (opts.syncEvery && opts.syncEvery > 0) {
    const tick = () => {
      timer = setTimeout(() => void syncNow().finally(tick), opts.syncEvery! * 1000)
      timer.unref()
    }
    tick()
  }
  const close = async () => {
    if (timer) clearTimeout(timer)
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      ;(server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.()
    })
    await writer.drain()
  }
  return {url, port, state, close, syncNow}
}

/** The mail gateway's outbox on this clone, when this build has one; null otherwise. */
async function outboxCounter(_desk: Desk): Promise<() => Promise<number | null>> {
  return async () => null
}
