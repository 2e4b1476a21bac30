import {Flags} from '@oclif/core'
import {PROVIDERS, PROVIDER_NAMES} from '../src/domain/ci/ci.js'
import {ON_REPEAT} from '../src/domain/ticket/dedupe.js'
import {shortId, shortIdPrefix} from '../src/domain/ticket/ids.js'
import {envelope, ticketJson} from '../src/output/json.js'
import {safeLine} from '../src/output/text.js'
import {TixCommand} from './base.js'
import {list, priorityFlag, typeFlag} from './flags.js'

export default class Ci extends TixCommand {
  static override summary = "File or resolve the ticket of a CI job: one ticket per job, however often it fails."
  static override description = `Detects the provider from the environment (GitHub Actions, GitLab CI, Jenkins, Buildkite,
CircleCI, Azure Pipelines, Bitbucket Pipelines; anything else is "generic") and records the
repository, workflow or pipeline, job, run URL, commit, branch and actor as the ticket's fields.

A failed run (the default) files under the key provider+repository+workflow+job: the first failure
creates the ticket (channel ci, type incident, tag ci); later ones add an occurrence and a note, and
reopen the ticket when it had been resolved (--on-repeat). A closed ticket gets a linked follow-up.
--log FILE puts the last --tail lines in the body, colours removed and values that look like
secrets masked, and attaches the whole (masked) log. --passed resolves the key's open ticket with
a note linking the green run. --sync fetches the desk first (a fresh shallow CI checkout has none)
and pushes after, retrying when another pipeline pushed first.`
  static override examples = [
    '<%= config.bin %> ci --log build.log --tail 200 --sync',
    '<%= config.bin %> ci --passed --sync',
    '<%= config.bin %> ci --dry-run --json',
    '<%= config.bin %> ci --provider generic --repository acme/app --workflow nightly --job test --run-url "$BUILD_URL" --log test.log',
  ]
  static override flags = {
    passed: Flags.boolean({summary: "The run passed: resolve the job's open ticket (if any), with a note linking the run."}),
    log: Flags.string({summary: 'Log of the failed step ("-" for standard input): its tail goes in the body, the whole log is attached.', helpValue: 'FILE', exclusive: ['passed']}),
    tail: Flags.integer({summary: 'Lines of the log to put in the body.', default: 100, min: 0}),
    key: Flags.string({summary: 'Dedupe key (default: ci:PROVIDER:REPOSITORY:WORKFLOW:JOB).', helpValue: 'KEY'}),
    title: Flags.string({summary: 'Title of a new ticket (default: says which workflow and job failed, where).'}),
    'on-repeat': Flags.option({options: ON_REPEAT, default: 'reopen' as const, summary: 'When the job already has a ticket: reopen (note, and reopen it if resolved; default), note, ignore.'})(),
    sync: Flags.boolean({summary: 'Fetch and merge the desk first, push after (with retries).'}),
    remote: Flags.string({summary: 'Remote for --sync (default: desk.json "remote", else origin).'}),
    'dry-run': Flags.boolean({summary: 'Show what was detected and what would be done; write nothing.'}),
    provider: Flags.option({options: PROVIDERS, summary: 'Provider, instead of detecting it.'})(),
    repository: Flags.string({summary: 'Repository, instead of what the environment says.'}),
    workflow: Flags.string({summary: 'Workflow or pipeline name.'}),
    job: Flags.string({summary: 'Job name.'}),
    'run-url': Flags.string({summary: 'Link to the run.', helpValue: 'URL'}),
    commit: Flags.string({summary: 'Commit the run built.'}),
    branch: Flags.string({summary: 'Branch the run built.'}),
    priority: priorityFlag(),
    type: typeFlag(),
    tag: Flags.string({char: 't', summary: 'Tags of a new ticket (default: ci).', multiple: true}),
    department: Flags.string({char: 'd', summary: 'Department of a new ticket.'}),
    assignee: Flags.string({char: 'a', summary: 'Agent to assign a new ticket to (e-mail).'}),
  }

  async run() {
    const {flags} = await this.parse(Ci)
    const {runCi} = await import('../src/services/ci.js')
    const io = this.io()
    const res = await runCi(io, {
      passed: flags.passed,
      log: flags.log,
      tail: flags.tail,
      key: flags.key,
      title: flags.title,
      onRepeat: flags['on-repeat'],
      sync: flags.sync,
      remote: flags.remote,
      dryRun: flags['dry-run'],
      priority: flags.priority,
      type: flags.type,
      tags: list(flags.tag),
      department: flags.department,
      assignee: flags.assignee,
      overrides: {provider: flags.provider, repository: flags.repository, workflow: flags.workflow, job: flags.job, runUrl: flags['run-url'], commit: flags.commit, branch: flags.branch},
    })
    const ids = res.desk.tip() ? (await res.desk.index()).ids : []
    const sid = ids.includes(res.id) ? shortId(ids, res.id) : shortIdPrefix(res.id)
    const t = res.ticket?.ticket
    const b = this.color.bold
    if (!this.jsonEnabled()) {
      const would = res.dryRun ? 'Would ' : ''
      const key = this.color.dim(`(key ${safeLine(res.key)})`)
      if (res.dryRun) this.log(`${PROVIDER_NAMES[res.run.provider]}: ${['repository', 'workflow', 'job', 'branch', 'commit', 'runUrl'].map((k) => `${k} ${safeLine(String(res.run[k as keyof typeof res.run] ?? '-'))}`).join(', ')}`)
      switch (res.action) {
        case 'created':
        case 'follow-up':
          this.log(`${res.dryRun ? 'Would create' : 'Created'} ${b(sid)}${t ? `: ${safeLine(t.title)}` : ''} ${key}`)
          break
        case 'noted':
        case 'reopened':
        case 'ignored':
          this.log(`${b(sid)}: ${res.dryRun ? 'would record' : 'happened again,'} occurrence ${res.occurrences}${res.action === 'reopened' ? (res.dryRun ? ' and reopen it' : '; reopened') : res.action === 'noted' ? (res.dryRun ? ' with a note' : '; noted') : ''}. ${key}`)
          break
        case 'resolved':
          this.log(`${would}${res.dryRun ? 'resolve' : 'Resolved'} ${b(sid)}: the job passed. ${key}`)
          break
        case 'none':
          this.log(`Nothing to resolve: ${t ? `${b(sid)} is ${t.status}` : 'the job has no ticket'}. ${key}`)
      }
      if (res.log && res.log.masked > 0) this.note(`tix: masked ${res.log.masked} value${res.log.masked === 1 ? '' : 's'} that looked like secrets in ${safeLine(res.log.name)}.`)
      if (res.log && res.log.droppedBytes > 0) this.note(`tix: the attached log was cut to the desk's attachment limit (first ${res.log.droppedBytes} bytes dropped).`)
      for (const m of res.messages) this.note(`${sid}: ${safeLine(m)}`)
      if (res.syncOut) this.note(`Synced with ${res.syncOut.remote}: ${res.syncOut.pushed} commit(s) pushed${res.syncOut.attempts > 1 ? ` after ${res.syncOut.attempts} attempts` : ''}.`)
    }
    const syncJson = (s: typeof res.syncOut) => (s ? {remote: s.remote, fetched: s.fetched, pushed: s.pushed, merged: s.merged, attempts: s.attempts} : null)
    return envelope('ci', {
      provider: res.run.provider,
      run: res.run,
      key: res.key,
      id: res.id,
      action: res.action,
      deduped: res.deduped,
      occurrences: res.occurrences,
      dryRun: res.dryRun,
      ticket: t ? ticketJson(t, ids.includes(t.id) ? ids : [...ids, t.id].sort()) : null,
      commit: res.commit,
      log: res.log,
      sync: res.syncIn || res.syncOut ? {in: syncJson(res.syncIn), out: syncJson(res.syncOut)} : null,
    })
  }
}
