// Every command, for oclif's "explicit" strategy: one bundle holds them all (DESIGN.md §9).
import {execute} from '@oclif/core'
import {setImporter, setTuiImporter} from '../src/runtime.js'
import {Desk} from '../src/store/desk.js'
import Init from './init.js'
import History from './ticket/history.js'
import List from './ticket/list.js'
import {Assign, Close, Note, Reopen, Reply, Resolve, Set, Status} from './ticket/mutations.js'
import New from './ticket/new.js'
import Search from './ticket/search.js'
import Show from './ticket/show.js'
import Tui from './tui.js'

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
  tui: Tui,
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
