import {Flags} from '@oclif/core'
import {ExitCode, usageError} from '../src/errors.js'
import {envelope} from '../src/output/json.js'
import {palette} from '../src/output/style.js'
import {safeLine} from '../src/output/text.js'
import {TixCommand} from './base.js'
import {shortIdPrefix} from '../src/domain/ticket/ids.js'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export default class Sync extends TixCommand {
  static override summary = 'Share the desk through a git remote: fetch, merge, push.'
  static override description = [
    'Fetches the remote\'s "tix" branch, merges it into yours and pushes the result; nothing else of the repository moves. When someone pushed first, sync fetches, merges and pushes again; after two lost races it parks your commit on the remote under this clone\'s own ref (refs/tix/clones/<id>, which nobody else moves) and succeeds. Every sync also fetches and merges what other clones parked, and the next one that pushes the branch puts it there. A remote that refuses that ref gets the branch retried with backoff up to 16 times (exit 4 if it still cannot push; your commits stay local for the next sync).',
    'Tickets changed on both sides keep every event from both. desk.json, macros and kb articles merge three-way; when both sides changed the same thing, your version stays in place, theirs is kept beside it as <path>.conflict-<commit>, and sync exits 4 saying how to settle it.',
    'The remote is --remote, else "remote" in desk.json, else origin, else the only remote.',
    'Ticket logs are append-only: when the remote\'s history deletes, shortens or reverts a ticket log, sync merges instead of fast-forwarding, so every event this clone holds is kept (and pushed back); it names those tickets on stderr and in "shortened" of --json, and still exits 0.',
    'Exit codes: 0 synced; 4 the remote is missing or unreachable, the push was refused, or a conflict waits for you (your local desk is intact in every case).',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> sync',
    '<%= config.bin %> sync --remote backup',
    '<%= config.bin %> sync --no-push',
    '<%= config.bin %> sync --json',
    '<%= config.bin %> sync --resolve desk.json --take current',
    '<%= config.bin %> sync --resolve kb/vpn.md.conflict-1a2b3c4 --take copy',
  ]
  static override flags = {
    remote: Flags.string({summary: 'Remote to sync with (default: desk.json "remote", else origin, else the only remote).', helpValue: 'NAME'}),
    push: Flags.boolean({summary: 'Push after merging (--no-push: fetch and merge only).', default: true, allowNo: true}),
    resolve: Flags.string({summary: 'Settle a conflict first: the file, or one of its .conflict-<commit> copies.', helpValue: 'PATH', dependsOn: ['take']}),
    take: Flags.option({options: ['current', 'copy'] as const, summary: 'With --resolve: keep the file as it is now ("current"; edit it first if you like) or the conflict copy ("copy").', dependsOn: ['resolve']})(),
  }

  async run() {
    const {flags} = await this.parse(Sync)
    if (flags.remote !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(flags.remote)) {
      throw usageError(`--remote "${flags.remote}" is not a remote name.`, 'List the remotes with `git remote -v`.')
    }
    const {syncDesk} = await import('../src/services/sync.js')
    const {shortId} = await import('../src/domain/ticket/ids.js')
    const {result: r, index, desk} = await syncDesk(this.io(), {
      remote: flags.remote,
      push: flags.push,
      resolve: flags.resolve && flags.take ? {path: flags.resolve, take: flags.take} : undefined,
      interactive: Boolean(this.ctx.stdin.isTTY && this.ctx.stderr.isTTY) && !this.jsonEnabled(),
    })
    const ids = index?.ids ?? []
    const sid = (id: string) => (ids.length > 0 ? shortId(ids, id) : shortIdPrefix(id))
    const c = this.color
    const b = desk.branch

    if (r.resolved) this.log(`Resolved ${r.resolved.path}: kept ${r.resolved.take === 'current' ? 'the current version' : 'the copy'}, removed ${r.resolved.removed.join(', ')}.`)
    const inPart = r.tickets.length > 0 ? `${plural(r.eventsIn, 'event')} on ${plural(r.tickets.length, 'ticket')}${r.newTickets.length > 0 ? ` (${r.newTickets.length} new)` : ''}` : 'no ticket changes'
    if (r.merged === 'merge') this.log(`In:  ${plural(r.fetched, 'commit')} from ${r.remote}, merged with yours (merge commit ${r.after?.slice(0, 7)}): ${inPart}.`)
    else if (r.merged === 'fast-forward') this.log(`In:  ${plural(r.fetched, 'commit')} from ${r.remote} (fast-forward): ${inPart}.`)
    if (r.clonesMerged > 0) this.log(`In:  merged what ${plural(r.clonesMerged, 'other clone')} had parked on ${r.remote}.`)
    if (r.pushed > 0) this.log(`Out: ${plural(r.pushed, 'commit')} ${r.parked ? 'sent' : 'pushed'} to ${r.remote}: ${r.ticketsOut.length > 0 ? `${plural(r.eventsOut, 'event')} on ${plural(r.ticketsOut.length, 'ticket')}` : 'no ticket changes'}.`)
    if (r.parkedRef) this.log(`Parked on ${r.remote} as ${r.parkedRef}: others were pushing at the same time; the next sync by anyone puts it on the ${b} branch.`)
    if (r.merged === 'up-to-date' && r.ahead === 0) this.log(`Already up to date with ${r.remote} (${b} at ${r.after?.slice(0, 7) ?? 'nothing yet'}).`)
    if (r.ahead > 0) this.log(`Not pushed${flags.push ? '' : ' (--no-push)'}: ${plural(r.ahead, 'local commit')} ${r.ahead === 1 ? 'is' : 'are'} not on ${r.remote} yet; \`tix sync\` sends ${r.ahead === 1 ? 'it' : 'them'}.`)

    if (r.tickets.length > 0 && !this.jsonEnabled()) {
      const all = {...(index?.open ?? {}), ...(index?.done ?? {})}
      for (const id of r.tickets.slice(0, 10)) {
        const t = all[id]
        this.log(`  ${c.bold(sid(id))}  ${t ? `${t.status}  ${safeLine(t.title)}` : ''}`.trimEnd())
      }
      if (r.tickets.length > 10) this.log(`  ... and ${r.tickets.length - 10} more (tix list --all --sort updated)`)
    }

    const ce = palette(this.ctx.stderr, this.ctx.env)
    for (const k of r.shortened) {
      const how = k.deleted ? 'deleted its log' : `dropped or changed ${plural(k.missing, 'event')} of its log`
      this.ctx.stderr.write(`${ce.yellow('Warning:')} ${r.remote} ${how} for ticket ${sid(k.id)} (${k.path}); ticket logs are append-only, so ${k.missing === 1 ? 'it was' : `all ${k.missing} were`} kept and merged back${r.pushed > 0 ? ` and pushed to ${r.remote}` : ''}.\n`)
    }
    if (r.shortened.length > 0) this.ctx.stderr.write(`  See who did it: git log ${b} -- ${r.shortened.map((k) => k.path).slice(0, 3).join(' ')}\n`)
    for (const k of r.conflicts) {
      this.ctx.stderr.write(`${ce.yellow('Conflict:')} ${safeLine(k.message)}\n`)
      if (k.copy) {
        this.ctx.stderr.write(`  Compare:      git diff ${b}:${k.path} ${b}:${k.copy}\n`)
        this.ctx.stderr.write(`  Keep yours:   tix sync --resolve ${k.path} --take current\n`)
        this.ctx.stderr.write(`  Keep theirs:  tix sync --resolve ${k.copy} --take copy\n`)
      }
    }
    if (r.pending.length > 0) {
      this.ctx.stderr.write(`${ce.yellow('Unsettled conflict copies:')} ${r.pending.join(', ')} (settle with \`tix sync --resolve PATH --take current|copy\`).\n`)
    }
    if (r.conflicts.length > 0) {
      this.ctx.stderr.write(`Both versions are kept and ${r.pushed > 0 ? 'were pushed' : 'are on your desk'}; settle ${r.conflicts.length === 1 ? 'it' : 'them'} with the commands above.\n`)
      this.ctx.exitCode = ExitCode.sync
    }
    return envelope('sync', {
      remote: r.remote,
      fetched: r.fetched,
      pushed: r.pushed,
      merged: r.merged,
      tickets: r.tickets,
      conflicts: r.conflicts,
      newTickets: r.newTickets,
      eventsIn: r.eventsIn,
      ticketsOut: r.ticketsOut,
      eventsOut: r.eventsOut,
      ahead: r.ahead,
      before: r.before,
      after: r.after,
      remoteTip: r.remoteTip,
      pending: r.pending,
      resolved: r.resolved,
      attempts: r.attempts,
      parked: r.parked,
      parkedRef: r.parkedRef,
      clonesMerged: r.clonesMerged,
      shortened: r.shortened,
    })
  }
}
