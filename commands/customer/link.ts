import {Args, Flags} from '@oclif/core'
import {CHANNELS} from '../../src/domain/ticket/model.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class CustomerLink extends TixCommand {
  static override summary = "Link a person's handles into one customer profile (tickets keep their own requester)."
  static override examples = [
    '<%= config.bin %> customer link ana@example.com @ana_d --channel social',
    '<%= config.bin %> customer link ana@example.com ana.diaz@home.example "+49 30 1234567" --name "Ana Diaz"',
  ]
  static override strict = false
  static override args = {
    handle: Args.string({description: 'A handle the person is known by (e-mail, @handle, phone, chat:NAME).', required: true}),
    other: Args.string({description: 'Another handle of the same person (more may follow).', required: true}),
  }
  static override flags = {
    channel: Flags.option({options: CHANNELS, summary: 'The channel the non-e-mail handles belong to (e.g. social for @handles).'})(),
    name: Flags.string({summary: "The person's name, shown on the profile."}),
  }

  async run() {
    const {argv, flags} = await this.parse(CustomerLink)
    const {linkCustomer} = await import('../../src/services/customers.js')
    const desk = await this.openDesk()
    const res = await linkCustomer(desk, argv as string[], {channel: flags.channel, name: flags.name})
    const handles = res.profile.handles.map((h) => h.handle)
    if (res.event === null) this.log(`Already one customer: ${safeLine(handles.join(', '))}. Nothing changed.`)
    else this.log(`Linked: ${safeLine(handles.join(', '))} are one customer${res.profile.name ? ` (${safeLine(res.profile.name)})` : ''}.`)
    return envelope('customer', {customer: {key: res.profile.key, name: res.profile.name, handles: res.profile.handles}, changed: res.event !== null, commit: res.commit, event: res.event})
  }
}
