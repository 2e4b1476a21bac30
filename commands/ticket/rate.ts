import {Args, Flags} from '@oclif/core'
import {rate} from '../../src/domain/ticket/relations.js'
import {TicketMutation} from '../base.js'

export default class Rate extends TicketMutation {
  static override summary = "Record the requester's satisfaction: good, neutral or bad, or a score from 1 to 5."
  static override description = 'A 1-5 score is kept as given and counts as good (4-5), neutral (3) or bad (1-2) in CSAT. A new rating replaces the old one in reports; both stay in the history.'
  static override examples = ['<%= config.bin %> rate 7K3F9 good', '<%= config.bin %> rate 7K3F9 2 --comment "Took three days to get an answer"']
  static override args = {
    id: Args.string({description: 'Ticket id or a unique prefix of it (at least 4 characters).', required: true}),
    rating: Args.string({description: 'good, neutral, bad, or 1-5.', required: true}),
  }
  static override flags = {comment: Flags.string({char: 'c', summary: "The requester's words, if any."})}

  async run() {
    const {args, flags} = await this.parse(Rate)
    return this.mutate(args.id, (t, ctx) => rate(t, args.rating, {comment: flags.comment}, ctx))
  }
}
