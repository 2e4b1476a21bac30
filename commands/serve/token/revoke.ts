import {Args} from '@oclif/core'
import {envelope} from '../../../src/output/json.js'
import {TixCommand} from '../../base.js'

export default class TokenRevoke extends TixCommand {
  static override summary = 'Revoke an API token: a running `tix serve` refuses it from the next request.'
  static override examples = ['<%= config.bin %> serve token revoke chat-widget']
  static override args = {name: Args.string({description: 'The token\'s name (see `tix serve token list`).', required: true})}

  async run() {
    const {args} = await this.parse(TokenRevoke)
    const {revokeToken} = await import('../../../src/services/serve/auth.js')
    const desk = await this.openDesk()
    const gone = revokeToken(desk, args.name)
    this.log(`Revoked token "${gone.name}".`)
    return envelope('serve-token', {name: gone.name, scopes: gone.scopes, revoked: true})
  }
}
