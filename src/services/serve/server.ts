// Runs the app on a real socket (@hono/node-server), syncs the desk every N seconds through the
// writer (so a sync never interleaves with a commit), and stops cleanly: no new connections, the
// queued writes finished, then exit.
import type {AddressInfo} from 'node:net'
import {importModule} from '../../runtime.js'
import type {Desk} from '../../store/desk.js'
import {createServeApp, type OutboxSize, type ServeOptions, type ServeState} from './app.js'

export interface RunningServer {
  url: string
  port: number
  state: ServeState
  close: () => Promise<void>
  /** One sync now (what the timer runs). */
  syncNow: () => Promise<void>
  /** Writes the article views counted so far (what the view timer runs). */
  flushViews: () => Promise<void>
}

export async function startServer(desk: Desk, opts: ServeOptions & {host?: string; port?: number; syncEvery?: number | null; remote?: string; viewFlushSeconds?: number}): Promise<RunningServer> {
  const {serve} = await importModule<typeof import('@hono/node-server')>('@hono/node-server')
  const outbox = await outboxCounter(desk)
  const {app, writer, state, feedback} = await createServeApp(desk, opts, {syncEvery: opts.syncEvery ?? null, outbox})
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
  // Article views: counted in memory, written as one commit every viewFlushSeconds (and on close).
  const flushViews = () => feedback.flushViews()
  const viewTimer = setInterval(() => void flushViews(), (opts.viewFlushSeconds ?? 30) * 1000)
  viewTimer.unref()
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
    clearInterval(viewTimer)
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      ;(server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.()
    })
    await flushViews()
    await writer.drain()
  }
  return {url, port, state, close, syncNow, flushViews}
}

/**
 * The mail outbox as `tix mail outbox` computes it (the gateway's state file of this clone, brought
 * up to the tip), counted: items not final, and of those the ones that failed at least once. The
 * state is read, never saved (the gateway owns that file); the count is kept while the tip does not
 * move, for at most a minute (a retry becomes due with time).
 */
async function outboxCounter(desk: Desk): Promise<() => Promise<OutboxSize | null>> {
  const [{loadState}, {computeOutbox}] = await Promise.all([import('../mail/state.js'), import('../mail/send.js')])
  let state: ReturnType<typeof loadState> | null = null
  let memo: {tip: string; at: number; size: OutboxSize} | null = null
  let running: Promise<OutboxSize | null> | null = null
  const count = async (): Promise<OutboxSize | null> => {
    const tip = desk.tip()
    if (tip === null) return {pending: 0, failed: 0}
    if (memo && memo.tip === tip && Date.now() - memo.at < 60_000) return memo.size
    state ??= loadState(desk)
    const box = await computeOutbox(desk, state)
    const size = {pending: box.items.length, failed: box.items.filter((i) => i.attempts > 0 || i.lastError !== null).length}
    memo = {tip, at: Date.now(), size}
    return size
  }
  // The first count on a clone whose gateway never ran reads every ticket once: /healthz does not
  // wait more than two seconds for it (the last count, or null, meanwhile).
  return async () => {
    running ??= count().finally(() => (running = null))
    const wait = new Promise<'late'>((r) => setTimeout(() => r('late'), 2000).unref())
    const got = await Promise.race([running, wait])
    return got === 'late' ? (memo?.size ?? null) : got
  }
}
