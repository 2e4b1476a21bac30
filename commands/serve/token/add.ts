import {Args, Flags} from '@oclif/core'
import {envelope} from '../../../src/output/json.js'
import {TixCommand} from '../../base.js'

export default class TokenAdd extends TixCommand {
  static override summary = 'Make an API token for `tix serve`; it is printed once, and only its hash is kept.'
  static override description = `Scopes: tickets:read (GET tickets), tickets:write (open tickets, add requester replies),
notes:write (add internal notes, and see them), reports:read (reports, /reports). The hash is kept
in this clone's git directory (tix-serve-tokens.json), never on the desk branch: a token works on
the clone that made it.`
  static override examples = [
    '<%= config.bin %> serve token add chat-widget --scope tickets:write',
    '<%= config.bin %> serve token add monitoring --scope tickets:write --scope tickets:read',
    '<%= config.bin %> serve token add manager --scope reports:read --json',
  ]
  static override args = {name: Args.string({description: 'A name for the token (letters, digits, . _ -).', required: true})}
  static override flags = {
    scope: Flags.string({summary: 'Scope (repeat or comma-separate): tickets:read, tickets:write, notes:write, reports:read.', multiple: true, default: ['tickets:write']}),
  }

  async run() {
    const {args, flags} = await this.parse(TokenAdd)
    const {addToken, parseScopes} = await import('../../../src/services/serve/auth.js')
    const desk = await this.openDesk()
    const {token, stored} = addToken(desk, args.name, parseScopes(flags.scope))
    if (!this.jsonEnabled()) {
      this.ctx.stdout.write(`${token}\n`)
      this.note(`Token "${stored.name}" (${stored.scopes.join(', ')}): shown once, keep it now. Use it as "Authorization: Bearer TOKEN".`)
    }
    return envelope('serve-token', {name: stored.name, scopes: stored.scopes, createdAt: stored.createdAt, token})
  }
}
