import {Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {importModule} from '../../src/runtime.js'
import {TixCommand} from '../base.js'

export default class Serve extends TixCommand {
  static override summary = "Serve the requesters' web portal and the desk's HTTP API from this clone."
  static override description = `The portal (/) has a request form, each requester's page for their ticket (/t/<signed link>) with
replies and a satisfaction question, and the published knowledge base (/kb: by category, search,
one article per page with a "did this help?" vote), in English, Arabic, Persian and Russian. The API (/api/v1/...)
files and reads tickets with tokens from \`tix serve token add\`; its OpenAPI document is at
/api/v1/openapi.json; /healthz says how the server and its syncs are doing.

It binds to 127.0.0.1 unless --host says otherwise: put a TLS proxy in front to publish it. Writes
go through one writer that commits requests arriving together as one commit, and answers only once
the commit is on the branch. With --sync-every, the clone syncs with its remote like \`tix sync\`.
Stop it with Ctrl-C (queued writes finish first). See docs/serve.md.`
  static override examples = [
    '<%= config.bin %> serve --port 8080',
    '<%= config.bin %> serve --port 8080 --sync-every 30 --base-url https://help.example.com',
    '<%= config.bin %> serve --host 0.0.0.0 --port 8080 --rate-limit 300',
    '<%= config.bin %> serve --port 0 --json   # one line {"kind":"serve","url":...} once listening',
  ]
  static override flags = {
    port: Flags.integer({summary: 'TCP port (0: any free port; the address is printed).', default: 8080, min: 0, max: 65535}),
    host: Flags.string({summary: 'Address to listen on.', default: '127.0.0.1'}),
    'sync-every': Flags.integer({summary: 'Sync with the remote every this many seconds (0: never).', default: 0, min: 0, helpValue: 'SECONDS'}),
    remote: Flags.string({summary: 'Remote to sync with (default as for tix sync).', helpValue: 'NAME'}),
    'base-url': Flags.string({summary: "The portal's public address, for links (default: desk.json web.baseUrl).", helpValue: 'URL'}),
    'max-body': Flags.integer({summary: 'Largest request body, in KB (keep it above the attachment limit, desk.json attachments.maxBytes).', default: 12288, min: 1}),
    'rate-limit': Flags.integer({summary: 'Requests per minute from one address (0: no limit).', default: 120, min: 0}),
    'token-rate-limit': Flags.integer({summary: 'Requests per minute with one API token (0: no limit).', default: 600, min: 0}),
    'link-days': Flags.integer({summary: "Days a requester's link stays valid.", default: 180, min: 1}),
  }

  async run() {
    const {flags} = await this.parse(Serve)
    let baseUrl: string | null = null
    if (flags['base-url'] !== undefined) {
      const {parseBaseUrl} = await import('../../src/services/serve/auth.js')
      baseUrl = parseBaseUrl(flags['base-url'])
      if (baseUrl === null) throw usageError(`--base-url "${flags['base-url']}" is not an http(s) address without a query.`, 'tix serve --base-url https://help.example.com')
    }
    // A server runs for long and may hold a large desk. V8's default lets the heap grow to several
    // times what is live between full GCs (the 100,000-ticket bench: 282-291 MB peak, 36 MB live
    // after a GC); favouring size keeps that growth small (185 MB, same throughput figures within
    // their noise). Not a cap: the heap limit is unchanged, so a large desk still loads.
    const v8 = await importModule<typeof import('node:v8')>('node:v8')
    v8.setFlagsFromString('--optimize-for-size')
    const desk = await this.openDesk()
    const {startServer} = await import('../../src/services/serve/server.js')
    const server = await startServer(desk, {
      host: flags.host,
      port: flags.port,
      syncEvery: flags['sync-every'] || null,
      remote: flags.remote,
      baseUrl,
      maxBody: flags['max-body'] * 1024,
      ratePerIp: flags['rate-limit'],
      ratePerToken: flags['token-rate-limit'],
      linkDays: flags['link-days'],
    })
    // One line on stdout a script can wait for (JSON with --json); everything else on stderr.
    if (this.jsonEnabled()) this.ctx.stdout.write(JSON.stringify(envelope('serve', {url: server.url, port: server.port, branch: desk.branch, ref: desk.ref})) + '\n')
    else this.ctx.stdout.write(`Serving ${desk.branch} on ${server.url}\n`)
    if (flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') {
      this.ctx.stderr.write(`tix serve: listening on ${flags.host}: anyone who can reach it can file tickets. Put a TLS proxy in front.\n`)
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        this.ctx.stderr.write('tix serve: stopping (finishing queued writes)...\n')
        void server.close().then(resolve)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  }
}
