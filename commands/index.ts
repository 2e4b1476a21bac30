// Every command, for oclif's "explicit" strategy: one bundle holds them all (docs/architecture.md).
import {execute} from '@oclif/core'
import {setImporter, setTuiImporter} from '../src/runtime.js'
import {Desk} from '../src/store/desk.js'
import Doctor from './doctor.js'
import Init from './init.js'
export {commandNotFound} from './not-found.js'
import History from './ticket/history.js'
import List from './ticket/list.js'
import {Assign, Close, Note, Reopen, Reply, Resolve, Set, Status} from './ticket/mutations.js'
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
  set: Set,
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
  /** Loads the TUI bundle (ESM, so only the launcher can import it). */
  importTui: () => Promise<unknown>
  /** import() from the launcher, for ESM-only packages kept out of the bundle (inquirer). */
  importModule: (specifier: string) => Promise<unknown>
}

export async function main(argv: string[], launch: Launch): Promise<void> {
  setImporter(launch.importModule)
  setTuiImporter(launch.importTui)
  // Plain `tix` on a terminal, in a desk, opens the queue; anywhere else (a pipe, CI, a folder
  // without a desk) it prints the help.
  const interactive = argv.length === 0 && Boolean(process.stdin.isTTY && process.stdout.isTTY) && hasDesk()
  await execute({args: argv.length === 0 ? [interactive ? 'tui' : '--help'] : argv, dir: launch.dir})
}

function hasDesk(): boolean {
  try {
    return Desk.find({cwd: process.cwd(), env: process.env, warn: () => {}})?.tip() != null
  } catch {
    return false
  }
}
