// The requester's page on the portal, in the mail the desk sends. The web address is mail.webUrl,
// else desk.json web.baseUrl; links are signed with this clone's key (`git config
// tix.serve.secret`, made on first use), so they open only on a `tix serve` that has the same key:
// the gateway's own clone, or one the key was copied to.
import {mailOf} from '../../domain/mail/config.js'
import type {DeskConfig} from '../../domain/config/config.js'
import type {Desk} from '../../store/desk.js'
import {baseUrlOf, linkExpiry, linkSecret, signedPageLink} from '../serve/auth.js'

/** Where mail links point: mail.webUrl, else web.baseUrl (no trailing slash), or null. */
export function mailWebUrl(config: DeskConfig): string | null {
  return mailOf(config).webUrl ?? baseUrlOf(config)
}

/** This clone's link key; says so on stderr when it was made just now (a key no `tix serve` knows yet). */
export function cloneLinkKey(desk: Desk): Buffer {
  const had = desk.localConfig('tix.serve.secret') !== null
  const secret = linkSecret(desk)
  if (!had) desk.io.warn("tix: made a key for requesters' links on this clone (git config tix.serve.secret); the links open on a `tix serve` running on this clone, or on one given the same key.")
  return secret
}

export type LinkSigner = (ticketId: string, email: string | null) => string | null

/**
 * Signs requesters' links for one sending run: the key is read (or made) once, on the first link.
 * Returns a signer that always answers null when the desk has no web address.
 */
export function mailLinkSigner(desk: Desk, config: DeskConfig): LinkSigner {
  const base = mailWebUrl(config)
  if (!base) return () => null
  let secret: Buffer | null = null
  return (ticketId, email) => {
    if (!email) return null
    secret ??= cloneLinkKey(desk)
    return signedPageLink(base, secret, ticketId, email, linkExpiry(desk))
  }
}
