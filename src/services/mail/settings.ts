// Where the gateway's servers are: TIX_IMAP_URL / TIX_SMTP_URL, else the gateway clone's own
// `git config tix.imap` / `tix.smtp`. Never desk.json: every clone can read the branch.
import {TixError} from '../../errors.js'
import type {Desk} from '../../store/desk.js'

export type Server = 'imap' | 'smtp'

export interface ServerSetting {
  url: URL
  /** Where it came from (for messages; never the URL itself, which may hold a password). */
  source: string
}

const gitConfig = (desk: Desk, key: string): string | null => desk.gitConfig(key)

const SCHEMES: Record<Server, string[]> = {imap: ['imap:', 'imaps:'], smtp: ['smtp:', 'smtps:']}

export function serverSetting(desk: Desk, server: Server): ServerSetting | null {
  const envName = server === 'imap' ? 'TIX_IMAP_URL' : 'TIX_SMTP_URL'
  const fromEnv = desk.io.env[envName]?.trim()
  const raw = fromEnv || gitConfig(desk, `tix.${server}`)
  if (!raw) return null
  const source = fromEnv ? envName : `git config tix.${server}`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TixError(`${source} is not a URL.`, {exitCode: 2, code: 'usage', hint: `Write it as ${server}s://USER:PASSWORD@mail.example.com${server === 'imap' ? '/INBOX' : ''} (see \`tix mail test --help\`).`})
  }
  if (!SCHEMES[server].includes(url.protocol)) {
    throw new TixError(`${source} must start with ${SCHEMES[server].map((s) => s + '//').join(' or ')}.`, {exitCode: 2, code: 'usage', hint: 'Run `tix mail test` after fixing it.'})
  }
  return {url, source}
}

export function requireServer(desk: Desk, server: Server): ServerSetting {
  const s = serverSetting(desk, server)
  if (!s) {
    throw new TixError(`No ${server.toUpperCase()} server is set up for this clone.`, {
      exitCode: 2,
      code: 'usage',
      hint: `Set ${server === 'imap' ? 'TIX_IMAP_URL' : 'TIX_SMTP_URL'} or run \`git config tix.${server} ${server}s://USER:PASSWORD@mail.example.com${server === 'imap' ? '/INBOX' : ''}\` in the gateway clone, then \`tix mail test\`.`,
    })
  }
  return s
}

/** A URL for messages: the password replaced by ***. */
export function redact(url: URL): string {
  const u = new URL(url.href)
  if (u.password) u.password = '***'
  return u.href
}
