import {Args} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class CustomerUnlink extends TixCommand {
  static override summary = 'Take a handle out of the customer profile it was linked into.'
  static override examples = ['<%= config.bin %> customer unlink @ana_d']
  static override args = {handle: Args.string({description: 'The handle to take out.', required: true})}

  async run() {
    const {args} = await this.parse(CustomerUnlink)
    const {unlinkCustomer} = await import('../../src/services/customers.js')
    const desk = await this.openDesk()
    const res = await unlinkCustomer(desk, args.handle)
    if (res.event === null) this.log(`${safeLine(args.handle)} is not linked to anyone: nothing changed.`)
    else this.log(`Unlinked ${safeLine(res.profile.key)}: it is a customer of its own again.`)
    return envelope('customer', {customer: {key: res.profile.key, name: res.profile.name, handles: res.profile.handles}, changed: res.event !== null, commit: res.commit, event: res.event})
  }
}
