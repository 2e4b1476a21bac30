// Dedupe keys (`tix new --dedupe-key`, `tix ci`): one ticket per key, however often and from however
// many clones it is filed. The ticket's id derives from a hash of the desk and the key, so two
// clones that file the same key offline make the same ticket; the union of their logs then holds
// two `create` events, which the fold counts as two occurrences (fold.ts). When the key's ticket is
// closed (final), a repeat opens a follow-up whose id derives from the key and its number.
import {usageError} from '../../errors.js'
import {newId} from './ids.js'

export const ON_REPEAT = ['note', 'reopen', 'ignore'] as const
export type OnRepeat = (typeof ON_REPEAT)[number]

/** What a filing with a key did. */
export type KeyedAction = 'created' | 'follow-up' | 'noted' | 'reopened' | 'ignored'

/** Keys are free text a script chooses (`nightly/linux`, a provider/repo/workflow/job path), within limits. */
export function cleanDedupeKey(input: string): string {
  const k = input.trim()
  if (k === '') throw usageError('The dedupe key is empty.', 'tix new "Nightly build failed" --dedupe-key nightly/linux')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F-\u009F]/.test(k)) throw usageError('The dedupe key has control characters in it.', 'Use letters, digits, spaces and punctuation.')
  if (k.length > 300) throw usageError(`The dedupe key is ${k.length} characters long; keep it under 300.`)
  return k
}

/** The text hashed for a key's ticket (follow-up 0 is the key's first ticket). */
export const dedupeSeed = (deskKey: string, key: string, followUp = 0): string =>
  `tix dedupe v1\n${deskKey}\n${key}${followUp > 0 ? `\nfollow-up ${followUp}` : ''}`

/** A ticket id from the SHA-256 of dedupeSeed(): its first 50 bits in the id alphabet. */
export const dedupeIdFromDigest = (digest: Uint8Array): string => newId(digest.subarray(0, 7))

/** The note a repeat leaves on the ticket. */
export function repeatNote(occurrence: number, opts: {run?: string | null; title?: string; body?: string}): string {
  const head = `Happened again (occurrence ${occurrence})${opts.run ? `: ${opts.run}` : '.'}`
  const title = opts.title ? `\n${opts.title}` : ''
  const body = opts.body && opts.body.trim() !== '' ? `\n\n${opts.body.replace(/\s+$/, '')}` : ''
  return head + title + body
}
