import {envelope} from '../../../src/output/json.js'
import {safeLine} from '../../../src/output/text.js'
import {TixCommand} from '../../base.js'

export default class TokenList extends TixCommand {
  static override summary = "List this clone's API tokens (names and scopes; the tokens themselves are not kept)."
  static override examples = ['<%= config.bin %> serve token list', '<%= config.bin %> serve token list --json']

  async run() {
    const {readTokens} = await import('../../../src/services/serve/auth.js')
    const desk = await this.openDesk()
    const tokens = readTokens(desk)
    if (!this.jsonEnabled()) {
      if (tokens.length === 0) this.note('No tokens yet: tix serve token add NAME --scope tickets:write')
      for (const t of tokens) this.log(`${safeLine(t.name)}\t${t.scopes.join(',')}\t${t.createdAt}\t${safeLine(t.createdBy)}`)
    }
    return envelope('serve-token-list', {tokens: tokens.map((t) => ({name: t.name, scopes: t.scopes, createdAt: t.createdAt, createdBy: t.createdBy}))})
  }
}
