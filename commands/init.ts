import {Flags} from '@oclif/core'
import {envelope} from '../src/output/json.js'
import {initDesk} from '../src/services/tickets.js'
import {TixCommand} from './base.js'

export default class Init extends TixCommand {
  static override summary = 'Make a desk: the tix branch with desk.json, in this repository (or a new one).'
  static override description = `The desk lives on its own branch ("tix"), never in your working tree: tickets do not show up in
code reviews and CI can push tickets while main is protected. In a folder that is not a git
repository, \`tix init\` runs \`git init\` first. Running it again on a desk changes nothing.`
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --name "ACME support" --timezone Europe/Berlin',
    '<%= config.bin %> init --remote origin',
  ]
  static override flags = {
    name: Flags.string({summary: 'Name of the desk.'}),
    timezone: Flags.string({summary: 'IANA time zone for business hours and reports (e.g. Europe/Berlin).'}),
    remote: Flags.string({summary: 'Remote that `tix sync` uses by default.'}),
  }

  async run() {
    const {flags} = await this.parse(Init)
    if (flags.timezone) {
      const {isValidTimeZone} = await import('../src/domain/config.js')
      if (!isValidTimeZone(flags.timezone)) {
        const {usageError} = await import('../src/errors.js')
        throw usageError(`--timezone "${flags.timezone}" is not an IANA time zone.`, 'Use a name such as Europe/Berlin or America/New_York.')
      }
    }
    const res = await initDesk(this.io(), {name: flags.name, timezone: flags.timezone, remote: flags.remote})
    if (res.createdRepo) this.log(`Initialised a git repository in ${res.path}`)
    if (res.createdDesk) {
      this.log(`Created the desk on branch "${res.branch}" (${res.commit.slice(0, 7)}).`)
      this.log('Next: tix new "Printer on 3rd floor jams" --requester "Ana Diaz <ana@example.com>"')
    } else {
      this.log(`A desk already exists here on branch "${res.branch}" (${res.commit.slice(0, 7)}); nothing changed.`)
    }
    return envelope('init', {path: res.path, branch: res.branch, commit: res.commit, createdRepo: res.createdRepo, createdDesk: res.createdDesk})
  }
}
