import {Flags} from '@oclif/core'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MailRun extends TixCommand {
  static override summary = 'Run the mail gateway: sync, fetch, send, sync again, every N seconds until stopped.'
  static override description = [
    'One clone of a desk is its gateway. Each cycle syncs with the remote (when there is one), fetches new mail over IMAP (when TIX_IMAP_URL or git config tix.imap is set), sends the outbox over SMTP and syncs again. SIGTERM or Ctrl-C stops it after the cycle in progress.',
    'With --json each cycle prints one JSON line.',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> mail run --every 60', '<%= config.bin %> mail run --once --json']
  static override flags = {
    every: Flags.integer({summary: 'Seconds between cycles.', default: 60, min: 1, max: 86_400}),
    once: Flags.boolean({summary: 'One cycle, then exit (for cron).'}),
  }

  async run() {
    const {flags} = await this.parse(MailRun)
    const {runGateway} = await import('../../src/services/mail/gateway.js')
    const desk = await this.openDesk()
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
    let errors = 0
    const {writeJsonLine} = await import('../base.js')
    try {
      const cycles = await runGateway(desk, {
        everySeconds: flags.every,
        once: flags.once,
        signal: stop.signal,
        onCycle: (r) => {
          errors += r.errors.length
          if (this.jsonEnabled()) {
            writeJsonLine({schemaVersion: 1, kind: 'mail-cycle', ...r}, (s) => this.ctx.stdout.write(s))
            return
          }
          const parts = [r.synced ? 'synced' : null, r.fetch ? `fetched ${r.fetch.fetched} (${r.fetch.created} new, ${r.fetch.replies} replies)` : null, r.send ? `sent ${r.send.sent.length}${r.send.failed.length ? `, ${r.send.failed.length} failed` : ''}${r.send.skipped.length ? `, ${r.send.skipped.length} taken by another gateway` : ''}` : null].filter(Boolean)
          this.log(`${r.at.replace('T', ' ').slice(0, 19)}  ${parts.join('; ') || 'nothing set up (see `tix mail test`)'}`)
          for (const e of r.errors) this.ctx.stderr.write(`  ${safeLine(e)}\n`)
        },
      })
      this.note(`Stopped after ${cycles} cycle(s).`)
    } finally {
      process.removeListener('SIGTERM', onSignal)
      process.removeListener('SIGINT', onSignal)
    }
    if (flags.once && errors > 0) this.ctx.exitCode = 1
    return undefined
  }
}
