// Use cases around sharing the desk: `tix sync`, and `tix init --remote` publishing a new desk.
import {TixError} from '../errors.js'
import {Desk, type DeskIndex, type DeskIO} from '../store/desk.js'
import {fetchOnly, listRemotes, sync, type SyncOptions, type SyncResult} from '../store/sync.js'
import {initDesk, type InitResult} from './tickets.js'

export interface SyncDeskResult {
  result: SyncResult
  /** The folded desk after the sync (the cache has caught up with the merge), or null without a desk. */
  index: DeskIndex | null
  desk: Desk
}

/** Fetch, merge, push; then bring the cache up to date so the next command starts warm. */
export async function syncDesk(io: DeskIO, opts: SyncOptions = {}): Promise<SyncDeskResult> {
  const desk = Desk.locate(io) // not open(): a clone without the branch yet is exactly what sync is for
  try {
    const result = await sync(desk, opts)
    const tip = desk.tip()
    if (tip) io.progress?.('Updating the desk index…')
    const index = tip ? await desk.index().catch(() => null) : null
    return {result, index, desk}
  } finally {
    io.progress?.(null)
  }
}

export interface InitPublishResult {
  init: InitResult
  /** The first sync, when the remote exists. */
  sync: SyncResult | null
  /** The remote is not configured in this repository (yet). */
  remoteMissing: boolean
  /** Why publishing failed (the desk itself was made). */
  syncError: TixError | null
}

/**
 * `tix init --remote NAME`: fetch first, so that a desk the remote already has is adopted rather
 * than started anew beside it, then make the desk and publish it with a first sync.
 */
export async function initAndPublish(io: DeskIO, opts: {name?: string; timezone?: string; remote: string}): Promise<InitPublishResult> {
  const existing = Desk.find(io)
  const known = existing ? (await listRemotes(existing)).includes(opts.remote) : false
  if (existing && known && existing.tip() === null) await fetchOnly(existing, opts.remote).catch(() => null) // unreachable: the sync below says so
  const init = await initDesk(io, opts)
  const desk = Desk.locate({...io, repoPath: init.path})
  if (!known) return {init, sync: null, remoteMissing: true, syncError: null}
  try {
    const result = await sync(desk, {remote: opts.remote})
    await desk.index().catch(() => null)
    return {init, sync: result, remoteMissing: false, syncError: null}
  } catch (error) {
    if (error instanceof TixError) return {init, sync: null, remoteMissing: false, syncError: error}
    throw error
  }
}
