// Every command, for oclif's "explicit" strategy: one bundle holds them all (docs/architecture.md).
import {Config, execute, flush, handle, type Command} from '@oclif/core'
import {commandContext, type CommandContext} from './context.js'
import {coalesceWrites} from '../src/output/coalesce.js'
import {setCodeCacheSaver, setDistLoader, setImporter, setOutputFlusher} from '../src/runtime.js'
import {Desk} from '../src/store/desk.js'
import Doctor from './doctor.js'
import Init from './init.js'
export {commandNotFound} from './not-found.js'
// For embedding and tests: the TUI as this bundle holds it, and the error type its commands and TUI throw.
export {loadTui} from './tui.js'
export {TixError} from '../src/errors.js'
import History from './ticket/history.js'
import List from './ticket/list.js'
import {Assign, Close, Note, Reopen, Reply, Resolve, Set as SetFields, Status} from './ticket/mutations.js'
import New from './ticket/new.js'
import Search from './ticket/search.js'
import Show from './ticket/show.js'
import CustomerLink from './customer/link.js'
import CustomerShow from './customer/show.js'
import CustomerUnlink from './customer/unlink.js'
import BacklogAge from './report/backlog-age.js'
import Report from './report/report.js'
import Link from './ticket/link.js'
import Merge from './ticket/merge.js'
import Rate from './ticket/rate.js'
import Sync from './sync.js'
import AgentAdd from './agent/add.js'
import AgentList from './agent/list.js'
import ConfigEdit from './config/edit.js'
import ConfigGet from './config/get.js'
import ConfigSet from './config/set.js'
import ConfigValidate from './config/validate.js'
import DeptAdd from './dept/add.js'
import DeptList from './dept/list.js'
import MacroApply from './macro/apply.js'
import MacroEdit from './macro/edit.js'
import MacroList from './macro/list.js'
import MacroNew from './macro/new.js'
import MacroShow from './macro/show.js'
import Automate from './workflow/automate.js'
import Escalate from './workflow/escalate.js'
import Route from './workflow/route.js'
import Sla from './workflow/sla.js'
import Tui from './tui.js'
import Completion from './completion.js'
import Complete from './completion-complete.js'
import Import from './data/import.js'
import Export from './data/export.js'
import MailFetch from './mail/fetch.js'
import MailIngest from './mail/ingest.js'
import MailOutbox from './mail/outbox.js'
import MailRun from './mail/run.js'
import MailSend from './mail/send.js'
import MailTest from './mail/test.js'
import KbEdit from './kb/edit.js'
import KbList from './kb/list.js'
import KbNew from './kb/new.js'
import {KbPublish, KbUnpublish} from './kb/publish.js'
import KbSearch from './kb/search.js'
import KbShow from './kb/show.js'
import KbStats from './kb/stats.js'
import KbSuggest from './kb/suggest.js'
import KbTranslate from './kb/translate.js'
import Serve from './serve/serve.js'
import ServeLink from './serve/link.js'
import TokenAdd from './serve/token/add.js'
import TokenList from './serve/token/list.js'
import TokenRevoke from './serve/token/revoke.js'
import Attach from './ticket/attach.js'
import Ci from './ci.js'
import AttachmentGet from './attachment/get.js'
import AttachmentList from './attachment/list.js'

export const COMMANDS = {
  init: Init,
  new: New,
  list: List,
  show: Show,
  search: Search,
  history: History,
  reply: Reply,
  note: Note,
  assign: Assign,
  status: Status,
  resolve: Resolve,
  close: Close,
  reopen: Reopen,
  set: SetFields,
  report: Report,
  'report:backlog-age': BacklogAge,
  rate: Rate,
  link: Link,
  merge: Merge,
  'customer:show': CustomerShow,
  'customer:link': CustomerLink,
  'customer:unlink': CustomerUnlink,
  doctor: Doctor,
  sync: Sync,
  import: Import,
  export: Export,
  // the help-desk workflow
  'config:get': ConfigGet,
  'config:set': ConfigSet,
  'config:edit': ConfigEdit,
  'config:validate': ConfigValidate,
  'dept:add': DeptAdd,
  'dept:list': DeptList,
  'agent:add': AgentAdd,
  'agent:list': AgentList,
  route: Route,
  escalate: Escalate,
  sla: Sla,
  automate: Automate,
  'macro:new': MacroNew,
  'macro:list': MacroList,
  'macro:show': MacroShow,
  'macro:edit': MacroEdit,
  'macro:apply': MacroApply,
  tui: Tui,
  completion: Completion,
  __complete: Complete,
  // the e-mail channel
  'mail:ingest': MailIngest,
  'mail:fetch': MailFetch,
  'mail:outbox': MailOutbox,
  'mail:send': MailSend,
  'mail:run': MailRun,
  'mail:test': MailTest,
  // the knowledge base
  'kb:new': KbNew,
  'kb:translate': KbTranslate,
  'kb:edit': KbEdit,
  'kb:list': KbList,
  'kb:show': KbShow,
  'kb:search': KbSearch,
  'kb:publish': KbPublish,
  'kb:unpublish': KbUnpublish,
  'kb:suggest': KbSuggest,
  'kb:stats': KbStats,
  // the web portal and the HTTP API
  serve: Serve,
  'serve:link': ServeLink,
  'serve:token:add': TokenAdd,
  'serve:token:list': TokenList,
  'serve:token:revoke': TokenRevoke,
  // attachments
  attach: Attach,
  'attachment:list': AttachmentList,
  'attachment:get': AttachmentGet,
  // scripts and CI
  ci: Ci,
}

export interface Launch {
  /** The launcher's URL (oclif finds package.json from it). */
  dir: string
  /** import() from the launcher, for ESM-only packages kept out of the bundle (inquirer). */
  importModule: (specifier: string) => Promise<unknown>
  /** Loads dist/<name>.cjs through V8's code cache (the snowball stemmers); absent in older launchers. */
  loadDist?: (name: string) => unknown
  /** Writes V8's code cache of this run now, if it needs writing (the TUI, after its first frame). */
  saveCodeCache?: () => void
}

export async function main(argv: string[], launch: Launch): Promise<void> {
  // A command's output goes out in a few large writes (src/output/coalesce.ts); the TUI (`tix tui`,
  // or plain `tix` on a terminal) draws on the terminal itself.
  if (!(argv[0] === 'tui' || (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY))) setOutputFlusher(coalesceWrites(process.stdout, process.stderr))
  setImporter(launch.importModule)
  if (launch.loadDist) setDistLoader(launch.loadDist)
  if (launch.saveCodeCache) setCodeCacheSaver(launch.saveCodeCache)
  await runCommandLine(argv, commandContext(), launch.dir)
}

/**
 * One command line, in the given context: what the binary does after loading, and what an
 * in-process test runs (test/run-tix.ts). `dir` is where oclif finds package.json (Launch.dir).
 */
export async function runCommandLine(argv: string[], ctx: CommandContext, dir: string): Promise<void> {
  // Plain `tix` on a terminal, in a desk, opens the queue; anywhere else (a pipe, CI, a folder
  // without a desk) it prints the help.
  const interactive = argv.length === 0 && Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY) && hasDesk(ctx)
  const fast = ctx.env.TIX_OCLIF_FULL ? null : fastLane(argv)
  if (fast) await runFast(fast.id, fast.argv)
  else {
    const args = argv.length === 0 ? [interactive ? 'tui' : '--help'] : argv
    await execute({args, dir})
  }
}

/** Commands that read oclif's full configuration (the list of every command): never in the fast lane. */
const NEEDS_CONFIG = new Set(['completion', '__complete'])

/**
 * The fast lane (docs/architecture.md). oclif's Config.load finds plugins, reads the 130 KB
 * manifest and sorts the commands with a locale collator before any command runs: about 15 ms
 * that a command never uses. A command line that names a command and asks for no help runs that
 * command's class directly: the same flags, parser, errors and output. Help, topics, `tix` alone,
 * unknown commands and their suggestions stay with oclif. TIX_OCLIF_FULL=1 turns the lane off.
 */
export function fastLane(argv: readonly string[]): {id: keyof typeof COMMANDS; argv: string[]} | null {
  const end = argv.indexOf('--')
  const options = end < 0 ? argv : argv.slice(0, end)
  if (options.some((a) => a === '--help' || a === '-h')) return null
  // The longest run of leading words that names a command, as oclif reads `kb search` or `report backlog-age`.
  let words = 0
  while (words < argv.length && words < 3 && /^[a-z][a-z-]*$/.test(argv[words]!)) words++
  for (let n = words; n > 0; n--) {
    const id = argv.slice(0, n).join(':')
    if (!Object.hasOwn(COMMANDS, id) || NEEDS_CONFIG.has(id)) continue
    // `tix report nonsense`: oclif reads a topic's unknown subcommand as an unknown command (with suggestions)
    if (n < words && Object.keys(COMMANDS).some((c) => c.startsWith(`${id}:`))) return null
    return {id: id as keyof typeof COMMANDS, argv: argv.slice(n)}
  }
  return null
}

/** What a command reads of oclif's Config (its env-var helpers come from Config's own prototype), without loading it. */
function laneConfig(): Config {
  return Object.assign(Object.create(Config.prototype) as Config, {
    bin: 'tix',
    binAliases: [],
    name: 'tix',
    topicSeparator: ':', // the id is already found: nothing re-reads argv for topics
    userAgent: `tix ${process.platform}-${process.arch} node-${process.version}`,
    theme: undefined,
    pjson: {oclif: {}},
    runHook: async () => ({successes: [], failures: []}),
  })
}

async function runFast(id: string, argv: string[]): Promise<void> {
  const Cls = COMMANDS[id as keyof typeof COMMANDS] as unknown as new (argv: string[], config: Config) => Command & {_run(): Promise<unknown>}
  try {
    const cmd = new Cls(argv, laneConfig())
    cmd.id = id
    await cmd._run()
    await flush()
  } catch (error) {
    await handle(error as Error) // this.exit() and anything a command did not catch, as oclif does
  }
}

function hasDesk(ctx: CommandContext): boolean {
  try {
    return Desk.find({cwd: ctx.cwd, env: ctx.env, warn: () => {}})?.tip() != null
  } catch {
    return false
  }
}
