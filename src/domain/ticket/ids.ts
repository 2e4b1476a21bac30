// Ticket ids: 10 characters of Crockford base32 (50 random bits), shown and accepted as a unique
// prefix (docs/storage.md). Validation here is what keeps user input away from paths.
import {lowerBound} from '../common/sorted.js'

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const ID_LENGTH = 10
export const MIN_PREFIX = 4
export const SHORT_ID_LENGTH = 5

/**
 * The short id where the desk's id list is not at hand (commit messages, notices, errors): its first
 * SHORT_ID_LENGTH characters, the length `shortId` starts from. Where the list is at hand, `shortId`
 * gives the id's shortest unique prefix, which can be longer.
 */
export const shortIdPrefix = (id: string): string => id.slice(0, SHORT_ID_LENGTH)
const VALID = /^[0-9A-HJKMNP-TV-Z]+$/

/** A new id from `random` bytes (crypto.randomBytes in production, fixed bytes in tests). */
export function newId(random: Uint8Array, length = ID_LENGTH): string {
  let out = ''
  let acc = 0
  let bits = 0
  for (const byte of random) {
    acc = (acc << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < length) {
      bits -= 5
      out += ALPHABET[(acc >> bits) & 31]
    }
    acc &= (1 << bits) - 1
    if (out.length === length) break
  }
  if (out.length < length) throw new Error(`newId needs ${Math.ceil((length * 5) / 8)} random bytes`)
  return out
}

/** Upper-cases and maps Crockford's look-alikes (O->0, I/L->1); null when it cannot be an id. */
export function normalizeIdInput(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
  if (s.length === 0 || s.length > ID_LENGTH || !VALID.test(s)) return null
  return s
}

export const isValidId = (id: string): boolean => id.length === ID_LENGTH && VALID.test(id)

/** Whether a sorted array holds `id` (a binary search: no Set of every id for a lookup or two). */
export function hasSortedId(sorted: readonly string[], id: string): boolean {
  return sorted[lowerBound(sorted, id)] === id
}

/** `sorted` with `more` (ids it does not hold, any order) merged in: a new sorted array, without sorting them all again. */
export function mergeSortedIds(sorted: readonly string[], more: readonly string[]): string[] {
  const add = [...more].sort()
  const out: string[] = new Array(sorted.length + add.length)
  let i = 0
  let j = 0
  for (let k = 0; k < out.length; k++) out[k] = j >= add.length || (i < sorted.length && sorted[i]! < add[j]!) ? sorted[i++]! : add[j++]!
  return out
}


/** Every id starting with `prefix`, from a sorted array. */
export function idsWithPrefix(sorted: readonly string[], prefix: string): string[] {
  const out: string[] = []
  for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!)
  return out
}

const commonPrefixLength = (a: string, b: string) => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** The shortest prefix (at least SHORT_ID_LENGTH) that no other id in `sorted` shares. */
export function shortId(sorted: readonly string[], id: string): string {
  const i = lowerBound(sorted, id)
  let need = SHORT_ID_LENGTH
  const prev = sorted[i - 1]
  const next = sorted[sorted[i] === id ? i + 1 : i]
  if (prev !== undefined) need = Math.max(need, commonPrefixLength(prev, id) + 1)
  if (next !== undefined) need = Math.max(need, commonPrefixLength(next, id) + 1)
  return id.slice(0, Math.min(need, id.length))
}
