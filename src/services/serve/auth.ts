// Who may do what: API tokens (Bearer) with scopes, and the requesters' signed links.
//
// Tokens are printed once by `tix serve token add`; only their SHA-256 hash is kept, in a file in
// the clone's git directory (never on the branch), and a presented token is compared with every
// stored hash in constant time. Signed links carry a ticket id and an expiry, with an HMAC-SHA256
// over id, requester e-mail and expiry; the key is the clone's `git config tix.serve.secret`, made
// on first use. Changing a ticket's requester voids its old links.
import {createHash, createHmac, randomBytes, timingSafeEqual} from 'node:crypto'
import {existsSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {TixError, usageError} from '../../errors.js'
import {isValidId} from '../../domain/ticket/ids.js'
import type {Desk} from '../../store/desk.js'

export const SCOPES = ['tickets:read', 'tickets:write', 'notes:write', 'reports:read'] as const
export type Scope = (typeof SCOPES)[number]

export interface StoredToken {
  name: string
  /** SHA-256 of the token, hex. */
  hash: string
  scopes: Scope[]
  createdAt: string
  createdBy: string
}

const TOKEN_FILE = 'tix-serve-tokens.json'
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export const tokenFile = (desk: Desk) => join(desk.repo.commonDir, TOKEN_FILE)
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export function readTokens(desk: Desk): StoredToken[] {
  const file = tokenFile(desk)
  if (!existsSync(file)) return []
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {tokens?: StoredToken[]}
    return Array.isArray(doc.tokens) ? doc.tokens : []
  } catch (error) {
    throw new TixError(`${file} is not valid JSON: ${(error as Error).message}.`, {hint: 'Remove the file and add the tokens again with `tix serve token add NAME`.'})
  }
}

function writeTokens(desk: Desk, tokens: StoredToken[]): void {
  const file = tokenFile(desk)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify({version: 1, tokens}, null, 2) + '\n', {mode: 0o600})
  renameSync(tmp, file)
}

export function parseScopes(values: readonly string[]): Scope[] {
  const out = new Set<Scope>()
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(SCOPES as readonly string[]).includes(v)) throw usageError(`--scope "${v}" is not a scope: expected ${SCOPES.join(', ')}.`, 'tix serve token add chat-widget --scope tickets:write')
    out.add(v as Scope)
  }
  return [...out]
}

/** Makes a token; returns it (the only time it exists in clear) and what is stored. */
export function addToken(desk: Desk, name: string, scopes: Scope[]): {token: string; stored: StoredToken} {
  if (!NAME.test(name)) throw usageError(`Token name "${name}" is not valid: use letters, digits and . _ - (up to 64).`, 'tix serve token add chat-widget --scope tickets:write')
  const tokens = readTokens(desk)
  if (tokens.some((t) => t.name === name)) throw usageError(`A token named "${name}" exists already.`, `Revoke it first (tix serve token revoke ${name}) or pick another name.`)
  if (scopes.length === 0) throw usageError('A token needs at least one scope.', `tix serve token add ${name} --scope tickets:write`)
  const token = `tix_${randomBytes(32).toString('base64url')}`
  const stored: StoredToken = {name, hash: sha256(token), scopes, createdAt: desk.now().toISOString(), createdBy: desk.actor().id}
  writeTokens(desk, [...tokens, stored])
  return {token, stored}
}

export function revokeToken(desk: Desk, name: string): StoredToken {
  const tokens = readTokens(desk)
  const found = tokens.find((t) => t.name === name)
  if (!found) throw new TixError(`No token is named "${name}".`, {exitCode: 3, code: 'not-found', hint: 'See them with `tix serve token list`.'})
  writeTokens(desk, tokens.filter((t) => t.name !== name))
  return found
}

/** The server's view of the token file: re-read when it changes (add/revoke while serving). */
export class TokenBook {
  private stamp = ''
  private tokens: {stored: StoredToken; hash: Buffer}[] = []

  constructor(private readonly desk: Desk) {}

  private refresh(): void {
    const file = tokenFile(this.desk)
    let stamp = 'none'
    try {
      const st = statSync(file)
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`
    } catch {
      // no file: no tokens
    }
    if (stamp === this.stamp) return
    this.tokens = (stamp === 'none' ? [] : readTokens(this.desk)).map((s) => ({stored: s, hash: Buffer.from(s.hash, 'hex')}))
    this.stamp = stamp
  }

  /** The stored token a presented one matches, or null. Every stored hash is compared, in constant time. */
  find(presented: string): StoredToken | null {
    this.refresh()
    const h = createHash('sha256').update(presented).digest()
    let hit: StoredToken | null = null
    for (const t of this.tokens) {
      if (t.hash.length === h.length && timingSafeEqual(t.hash, h)) hit = t.stored
    }
    return hit
  }
}

// ------------------------------------------------------------------ signed links

const SECRET_KEY = 'tix.serve.secret'
const DAY = 86_400_000
export const DEFAULT_LINK_DAYS = 180

/** The clone's signing key, made on first use (32 random bytes in `git config tix.serve.secret`). */
export function linkSecret(desk: Desk): Buffer {
  let hex = desk.localConfig(SECRET_KEY)
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) {
    hex = randomBytes(32).toString('hex')
    desk.setLocalConfig(SECRET_KEY, hex)
    // Two processes may have raced: the one git kept wins for both.
    hex = desk.localConfig(SECRET_KEY) ?? hex
  }
  return Buffer.from(hex, 'hex')
}

const mac = (secret: Buffer, id: string, email: string, expires: number) =>
  createHmac('sha256', secret).update(`tix-link\n${id}\n${email.toLowerCase()}\n${expires}`).digest()

/** `<id>.<expiry, seconds, base 36>.<mac>`: what follows /t/ in a requester's link. */
export function signTicketToken(secret: Buffer, id: string, email: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000)
  return `${id}.${expires.toString(36)}.${mac(secret, id, email, expires).toString('base64url')}`
}

/** The ticket id a link names, after checking its form and expiry; the MAC is checked by verifyTicketToken with the requester's e-mail. */
export function parseTicketToken(token: string, now: Date): {id: string; expires: number; mac: Buffer} | null {
  const m = /^([0-9A-Z]{10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m || !isValidId(m[1]!)) return null
  const expires = parseInt(m[2]!, 36)
  if (!Number.isFinite(expires) || expires * 1000 <= now.getTime()) return null
  return {id: m[1]!, expires, mac: Buffer.from(m[3]!, 'base64url')}
}

export function verifyTicketToken(secret: Buffer, parsed: {id: string; expires: number; mac: Buffer}, email: string | null): boolean {
  if (!email) return false
  const want = mac(secret, parsed.id, email, parsed.expires)
  return want.length === parsed.mac.length && timingSafeEqual(want, parsed.mac)
}

/** desk.json `web.baseUrl` (e.g. "https://help.example.com"), or null. */
export function baseUrlOf(config: Record<string, unknown>): string | null {
  const web = config.web
  if (typeof web !== 'object' || web === null) return null
  const v = (web as Record<string, unknown>).baseUrl
  return typeof v === 'string' && v !== '' ? v.replace(/\/+$/, '') : null
}

/**
 * An address given for the portal (`--base-url`): http(s), no user, password, query or fragment (links
 * are BASE/t/TOKEN?score=N#rate). The address without a trailing slash, or null when it is not one.
 */
export function parseBaseUrl(value: string): string | null {
  try {
    const u = new URL(value)
    const ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && u.username === '' && u.password === ''
    return ok ? u.toString().replace(/\/+$/, '') : null
  } catch {
    return null
  }
}

/** When a requester's link made now stops opening. */
export const linkExpiry = (desk: Desk, days = DEFAULT_LINK_DAYS): Date => new Date(desk.now().getTime() + days * DAY)

/** `BASE/t/TOKEN` for a ticket and its requester's e-mail (the token is URL-safe; encoded all the same). */
export function signedPageLink(base: string, secret: Buffer, ticketId: string, email: string, expiresAt: Date): string {
  return `${base.replace(/\/+$/, '')}/t/${encodeURIComponent(signTicketToken(secret, ticketId, email, expiresAt))}`
}

/**
 * The requester's own page for a ticket: null when the desk has no `web.baseUrl` (and none is given)
 * or the ticket has no requester e-mail. (The mail gateway signs its links in src/services/mail/links.ts.)
 */
export async function portalLink(desk: Desk, ticketId: string, email: string | null, opts: {baseUrl?: string; days?: number} = {}): Promise<string | null> {
  if (!email) return null
  const base = opts.baseUrl ?? baseUrlOf((await desk.index()).config)
  if (!base) return null
  return signedPageLink(base, linkSecret(desk), ticketId, email, linkExpiry(desk, opts.days))
}
