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
    '<%= config.bin %> init --fresh   # after the tix branch was deleted: a new, empty desk',
  ]
  static override flags = {
    name: Flags.string({summary: 'Name of the desk.'}),
    timezone: Flags.string({summary: 'IANA time zone for business hours and reports (e.g. Europe/Berlin).'}),
    remote: Flags.string({summary: 'Remote that `tix sync` uses by default; when the repository has it, the desk is published there (or adopted from it).', helpValue: 'NAME'}),
    fresh: Flags.boolean({summary: 'Start an empty desk even though this clone had one whose branch was deleted (tix init names the commit to restore instead).'}),
  }

  async run() {
    const {flags} = await this.parse(Init)
    if (flags.timezone) {
      const {isValidTimeZone} = await import('../src/domain/config/config.js')
      if (!isValidTimeZone(flags.timezone)) {
        const {usageError} = await import('../src/errors.js')
        throw usageError(`--timezone "${flags.timezone}" is not an IANA time zone.`, 'Use a name such as Europe/Berlin or America/New_York.')
      }
    }
    if (flags.remote !== undefined) return this.initWithRemote({name: flags.name, timezone: flags.timezone, remote: flags.remote})
    const res = await initDesk(this.io(), {name: flags.name, timezone: flags.timezone, remote: flags.remote, fresh: flags.fresh})
    if (res.createdRepo) this.log(`Initialised a git repository in ${res.path}`)
    if (res.createdDesk) {
      this.log(`Created the desk on branch "${res.branch}" (${res.commit.slice(0, 7)}).`)
      this.log('Next: tix new "Printer on 3rd floor jams" --requester "Ana Diaz <ana@example.com>"')
    } else {
      this.log(`A desk already exists here on branch "${res.branch}" (${res.commit.slice(0, 7)}); nothing changed.`)
    }
    return envelope('init', {path: res.path, branch: res.branch, commit: res.commit, createdRepo: res.createdRepo, createdDesk: res.createdDesk})
  }

  /** `tix init --remote NAME`: adopt the remote's desk if it has one, else make one and publish it. */
  private async initWithRemote(opts: {name?: string; timezone?: string; remote: string}) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(opts.remote)) {
      const {usageError} = await import('../src/errors.js')
      throw usageError(`--remote "${opts.remote}" is not a remote name.`, 'List the remotes with `git remote -v`.')
    }
    const {initAndPublish} = await import('../src/services/sync.js')
    const {init: res, sync, remoteMissing, syncError} = await initAndPublish(this.io(), opts)
    if (res.createdRepo) this.log(`Initialised a git repository in ${res.path}`)
    if (res.createdDesk) this.log(`Created the desk on branch "${res.branch}" (${res.commit.slice(0, 7)}).`)
    else this.log(`Using the desk on branch "${res.branch}" (${res.commit.slice(0, 7)})${sync && sync.before === null ? ` from ${opts.remote}` : ''}.`)
    if (remoteMissing) this.log(`The repository has no remote "${opts.remote}" yet: add it with \`git remote add ${opts.remote} URL\`, then run \`tix sync\` to publish the desk.`)
    if (sync) {
      if (sync.pushed > 0) this.log(`Published it to ${opts.remote} (${sync.pushed} commit${sync.pushed === 1 ? '' : 's'}); teammates get it with \`git fetch\` or \`tix sync\`.`)
      else if (sync.merged === 'up-to-date') this.log(`In step with ${opts.remote}.`)
    }
    if (syncError) {
      const c = this.color
      this.ctx.stderr.write(`${c.red('Error:')} The desk was made here but could not be published: ${syncError.message}\n${syncError.hint ? `Hint: ${syncError.hint}\n` : ''}`)
      this.ctx.exitCode = syncError.exitCode
    }
    if (res.createdDesk && !syncError) this.log('Next: tix new "Printer on 3rd floor jams" --requester "Ana Diaz <ana@example.com>"')
    return envelope('init', {
      path: res.path,
      branch: res.branch,
      commit: res.commit,
      createdRepo: res.createdRepo,
      createdDesk: res.createdDesk,
      remote: opts.remote,
      published: sync !== null && (sync.pushed > 0 || sync.remoteTip === sync.after),
      sync: sync ? {fetched: sync.fetched, pushed: sync.pushed, merged: sync.merged} : null,
      error: syncError ? {message: syncError.message, hint: syncError.hint ?? null, code: syncError.code, exitCode: syncError.exitCode} : null,
    })
  }
}
