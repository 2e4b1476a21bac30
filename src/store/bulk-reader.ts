// Reading many ticket files with `git cat-file --batch`:
// - eachTicket: one at a time, in full (events and thread), so exports stream without holding the desk;
// - foldAll: every ticket file of a commit, for the index build after a clone (and a report's facts),
//   read in pack order and folded once, in worker threads on a large desk (docs/scale.md).
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {Worker} from 'node:worker_threads'
import {catFileBatch, lsTree} from './objects.js'
import type {Desk} from './desk.js'
import {foldFile, ticketPath, type LoadedTicket} from './desk/ticket-file.js'
import {git, gitEnv, GitError} from './git.js'
import {BatchFolder, type FoldedBatch, type FoldSetup} from './index-fold.js'
import {packOrder, PACK_ORDER_FROM} from './pack-order.js'
import {repoCwd, repoEnv, type Repo} from './repo.js'

/** Calls `each` with every ticket of `ids` at `commit`, in the order given (missing files are skipped). */
export async function eachTicket(desk: Desk, ids: readonly string[], commit: string, each: (id: string, ticket: LoadedTicket) => void): Promise<void> {
  if (ids.length === 0) return
  // Blob ids from one ls-tree: cat-file then reads objects by id, without resolving a path each time.
  const oids = new Map<string, string>()
  for (const e of await lsTree(desk.repo, commit, 'tickets')) if (e.type === 'blob') oids.set(e.path, e.oid)
  const wanted = ids.filter((id) => oids.has(ticketPath(id)))
  await catFileBatch(desk.repo, wanted.map((id) => oids.get(ticketPath(id))!), (i, content) => {
    if (content === null) return
    const id = wanted[i]!
    each(id, foldFile(id, ticketPath(id), content.toString('utf8')))
  })
}

/**
 * From this many ticket files the fold runs in worker threads too (when the worker bundle is there).
 * Measured on 2 cores (docs/scale.md): at 10,000 tickets a worker cost more than it saved (its
 * start, and the fold compiled a second time in it: 0.67 s without, 0.77 s with); at 100,000 one
 * worker beside the main thread took a tenth to a sixth off the time.
 */
export const WORKERS_FROM = 20_000
/** From this many ticket files, two `git cat-file` processes read them (git inflates while tix folds). */
const TWO_READERS_FROM = 4000
/** Ticket files per batch handed to a worker (about 650 KB on the bench desks). */
const BATCH = 250
/** Batches in flight per worker: more go to this thread to fold (bounds the memory held, too). */
const IN_FLIGHT = 2

/**
 * The path cat-file is told each blob was read from (see readBatches). Asked to convert a blob for
 * a path (--textconv), git writes it through its output buffer; otherwise with a write of its own
 * per blob: at 100,000 tickets, 100,000 more system calls (and wake-ups of this process), which on
 * the 2-core VM was more than a tenth of a cold report's CPU time.
 */
const TEXTCONV_PATH = 'tix-ticket-file'

/**
 * Whether --textconv leaves every blob as it is: true unless an attribute (in the work tree's
 * .gitattributes, .git/info/attributes or the user's) names a diff driver for TEXTCONV_PATH, which
 * could convert it. Asked of `git check-attr` once a build; any doubt reads the plain way.
 */
async function textconvIsPlain(repo: Repo): Promise<boolean> {
  try {
    const r = await git(['check-attr', '-z', 'diff', '--', TEXTCONV_PATH], {cwd: repoCwd(repo), env: repoEnv(repo)})
    const value = r.stdout.toString('utf8').split('\0')[2]
    return value === 'unspecified' || value === 'unset' || value === 'set'
  } catch {
    return false
  }
}

/**
 * A fold worker's young generation (MB). 8 MB was collected twice or more a batch; 32 MB is about
 * 17 MB more memory a worker, which the budget (300 MB at 100,000 tickets) allows for one worker
 * and not for two (two at 32 MB: 305 MB; at 16 MB: 270 MB).
 */
const workerYoungMb = (workers: number) => (workers > 1 ? 16 : 32)

/** The worker bundle beside the CLI bundle (dist/fold-worker.cjs); null when running from sources. */
function workerFile(): string | null {
  const file = typeof __dirname === 'string' ? join(__dirname, 'fold-worker.cjs') : null
  return file !== null && existsSync(file) ? file : null
}

/**
 * A process this large (MB resident) when the build starts folds on its main thread alone: a
 * worker is a heap of its own (about 45 MB at 100,000 tickets), and the budget is 300 MB. A
 * `tix list` on a fresh clone starts the build at about 120 MB; a `tix sync` that adopted a
 * 100,000-ticket desk, holding what it counted, at about 220 MB (with a worker it peaked at 335 MB,
 * alone at 290 MB).
 */
export const WORKERS_UP_TO_MB = 160

/**
 * How many fold workers for `n` ticket files, besides the main thread (which folds too): none below
 * WORKERS_FROM, on one core, or in a process already larger than WORKERS_UP_TO_MB; one on 2 or 3
 * cores (git's cat-file takes about a quarter of a core); two from 4 cores, the most the memory
 * budget allows. Measured on 2 cores only (docs/scale.md). TIX_FOLD_WORKERS overrides it (0: the
 * main thread folds alone).
 */
export function foldWorkers(n: number, env: NodeJS.ProcessEnv, cores = availableParallelism(), residentMb = process.memoryUsage.rss() / 2 ** 20): number {
  const forced = env.TIX_FOLD_WORKERS
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), 8)
  if (n < WORKERS_FROM || cores < 2 || residentMb > WORKERS_UP_TO_MB) return 0
  return cores >= 4 ? 2 : 1
}

export interface FoldAllOptions {
  setup: FoldSetup
  env: NodeJS.ProcessEnv
  /** Called with each batch's cache lines, on the main thread, as batches finish (in no set order). */
  onBatch: (batch: FoldedBatch) => void
  /** Called with how many files were folded so far. */
  progress?: (done: number) => void
}

/**
 * Reads the blobs `oids` (ticket `ids[i]` is `oids[i]`) and folds each once, as BatchFolder does.
 * The blobs are asked for in pack order (pack-order.ts), through two cat-file processes on a
 * large desk. The fold runs on this thread, and in workers when foldWorkers says so: a batch goes
 * to a worker with room for it, else this thread folds it (so a worker never waits for batches
 * and this thread never waits for a worker).
 */
export async function foldAll(repo: Repo, oids: readonly string[], ids: readonly string[], opts: FoldAllOptions): Promise<void> {
  if (oids.length === 0) return
  const plainConv = textconvIsPlain(repo) // while the order is worked out
  const order = oids.length >= PACK_ORDER_FROM ? packOrder(join(repo.commonDir, 'objects'), oids) : oids.map((_, i) => i)
  const textconv = await plainConv
  const file = workerFile()
  const nWorkers = file === null ? 0 : foldWorkers(oids.length, opts.env)
  let folded = 0
  const delivered = (b: FoldedBatch, count: number) => {
    opts.onBatch(b)
    folded += count
    opts.progress?.(folded)
  }
  const parts = oids.length >= TWO_READERS_FROM ? 2 : 1
  const size = Math.ceil(order.length / parts)
  const slices = Array.from({length: parts}, (_, p) => order.slice(p * size, (p + 1) * size))
  const folder = new BatchFolder(opts.setup)
  const foldHere = (batchIds: string[], blobs: (Buffer | null)[]) => {
    delivered(folder.fold(batchIds, blobs.map((b) => (b === null ? null : b.toString('utf8')))), batchIds.length)
  }

  if (nWorkers === 0) {
    await Promise.all(slices.map((slice) => readBatches(repo, slice, oids, ids, foldHere, false, textconv)))
    return
  }

  const workers = Array.from({length: nWorkers}, () => new Worker(file!, {workerData: opts.setup, resourceLimits: {maxYoungGenerationSizeMb: workerYoungMb(nWorkers)}}))
  const busy = new Array<number>(nWorkers).fill(0)
  let inFlight = 0
  let seq = 0
  let failed: Error | null = null
  const waiters: (() => void)[] = []
  const settle = () => {
    if (inFlight === 0) for (const w of waiters.splice(0)) w()
  }
  const sizes = new Map<number, number>()
  workers.forEach((w, k) => {
    w.on('message', (m: {seq: number; folded: FoldedBatch}) => {
      busy[k]!--
      inFlight--
      try {
        if (failed === null) delivered(m.folded, sizes.get(m.seq)!)
      } catch (error) {
        failed = error as Error
      }
      sizes.delete(m.seq)
      settle()
    })
    w.on('error', (error) => {
      failed = error
      inFlight = 0
      settle()
    })
  })
  try {
    await Promise.all(
      slices.map((slice) =>
        readBatches(
          repo,
          slice,
          oids,
          ids,
          (batchIds, blobs) => {
            if (failed !== null) return
            const k = busy.indexOf(Math.min(...busy))
            if (busy[k]! >= IN_FLIGHT) {
              // every worker has work waiting: this thread folds this one
              foldHere(batchIds, blobs)
              return
            }
            let total = 0
            for (const b of blobs) if (b !== null) total += b.length
            // one ArrayBuffer of its own, moved (not copied) to the worker
            const bytes = new Uint8Array(total)
            const ends = new Int32Array(blobs.length)
            let at = 0
            blobs.forEach((b, i) => {
              if (b === null) ends[i] = -1
              else {
                bytes.set(b, at)
                ends[i] = at += b.length
              }
            })
            busy[k]!++
            inFlight++
            sizes.set(seq, batchIds.length)
            workers[k]!.postMessage({seq: seq++, ids: batchIds, bytes, ends}, [bytes.buffer])
          },
          true,
          textconv,
        ),
      ),
    )
    if (inFlight > 0) await new Promise<void>((resolve) => waiters.push(resolve))
    if (failed !== null) throw failed
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

/**
 * One `git cat-file --batch` over `oids[slice[i]]`, calling `onBatch` with the files read (ids and
 * contents, null for a missing object): views into git's output, which stay valid (each piece of
 * output is a buffer of its own). `whole`: in batches of BATCH files (to hand to a worker); else
 * also at the end of each piece of output (folded here as it comes). `textconv`: with --textconv
 * and TEXTCONV_PATH after each id (textconvIsPlain said it changes nothing).
 */
function readBatches(
  repo: Repo,
  slice: readonly number[],
  oids: readonly string[],
  ids: readonly string[],
  onBatch: (ids: string[], blobs: (Buffer | null)[]) => void,
  whole: boolean,
  textconv: boolean,
): Promise<void> {
  if (slice.length === 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    // --buffer: git writes its output in blocks, not a write (and a wake-up of this process) per line.
    // A delta-base cache of 16 MB, not 96: read deepest first (pack-order.ts), a chain's bases are all
    // git needs, and the larger cache only filled up (175 MB of git's memory at 100,000 tickets, and
    // as many pages for the kernel to fault in, for the same CPU time)
    const args = ['-c', 'core.deltaBaseCacheLimit=16m', 'cat-file', '--batch', '--buffer', ...(textconv ? ['--textconv'] : [])]
    const child = spawn('git', args, {cwd: repoCwd(repo), env: gitEnv(repoEnv(repo)), stdio: ['pipe', 'pipe', 'pipe']})
    let pending: Buffer = Buffer.alloc(0)
    let index = 0
    let need = -1
    let stderr = ''
    let batchIds: string[] = []
    let blobs: (Buffer | null)[] = []
    const push = (content: Buffer | null) => {
      batchIds.push(ids[slice[index++]!]!)
      blobs.push(content)
      if (blobs.length >= BATCH) flush()
    }
    const flush = () => {
      if (blobs.length === 0) return
      const b = blobs
      const i = batchIds
      blobs = []
      batchIds = []
      onBatch(i, b)
    }
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      try {
        for (;;) {
          if (need < 0) {
            const nl = pending.indexOf(10)
            if (nl < 0) break
            const header = pending.toString('latin1', 0, nl)
            pending = pending.subarray(nl + 1)
            if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
              push(null)
              continue
            }
            need = Number(header.slice(header.lastIndexOf(' ') + 1)) + 1
          }
          if (pending.length < need) break
          push(pending.subarray(0, need - 1))
          pending = pending.subarray(need)
          need = -1
        }
        if (!whole) flush()
      } catch (error) {
        child.kill()
        reject(error as Error)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      try {
        flush()
      } catch (error) {
        reject(error as Error)
        return
      }
      if (code !== 0) reject(new GitError(['cat-file', '--batch'], code ?? 1, stderr))
      else if (index !== slice.length) reject(new GitError(['cat-file', '--batch'], 0, `answered ${index} of ${slice.length} objects`))
      else resolve()
    })
    child.stdin.on('error', () => {})
    child.stdin.end(slice.map((i) => (textconv ? `${oids[i]} ${TEXTCONV_PATH}` : oids[i])).join('\n') + '\n')
  })
}
