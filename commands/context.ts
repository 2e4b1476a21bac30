// What a command reads of the world, in one object: its streams (and whether each is a terminal),
// the environment, the working folder, the clock, the desk and where its exit code goes.
// The binary runs with the process's (processContext); an in-process test run (test/run-tix.ts)
// gives each run its own, so a command test needs no spawned process (docs/architecture.md).
import {readFileSync} from 'node:fs'
import type {Readable, Writable} from 'node:stream'
import {TixError} from '../src/errors.js'
import {Desk, type DeskIO} from '../src/store/desk.js'

/** An output stream as a command sees it: process.stdout, or a test's collecting stream. */
export type OutStream = Writable & {isTTY?: boolean; columns?: number; rows?: number}
export type InStream = Readable & {isTTY?: boolean}

export interface CommandContext {
  stdin: InStream
  /** All of standard input at once, for a FILE argument given as "-" (readFileSync(0) for the binary). */
  stdinBytes(): Buffer
  stdout: OutStream
  stderr: OutStream
  /** The environment: a plain object (a copy of process.env for the binary). */
  env: NodeJS.ProcessEnv
  /** The folder the command line was typed in. */
  cwd: string
  /** The time: TIX_NOW when set (tests, demos), else the real clock. The desk has the same clock (`desk.now()`). */
  now(): Date
  /** Opens the desk that `io` names (`Desk.open`). */
  openDesk(io: DeskIO): Promise<Desk>
  /** The exit code the command asks for (process.exitCode for the binary); undefined is 0. */
  exitCode: number | undefined
}

/** TIX_NOW, else the real time: what `desk.now()` says too. */
export function clockOf(env: NodeJS.ProcessEnv): () => Date {
  return () => {
    const fixed = env.TIX_NOW
    if (!fixed) return new Date()
    const d = new Date(fixed)
    if (Number.isNaN(d.getTime())) throw new TixError(`TIX_NOW "${fixed}" is not an ISO date.`)
    return d
  }
}

/** The context of the process itself: what the binary runs with. */
export function processContext(): CommandContext {
  const env = {...process.env}
  return {
    stdin: process.stdin,
    stdinBytes: () => readFileSync(0),
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd: process.cwd(),
    now: clockOf(env),
    openDesk: (io) => Desk.open(io),
    get exitCode() {
      return typeof process.exitCode === 'number' ? process.exitCode : undefined
    },
    set exitCode(code: number | undefined) {
      process.exitCode = code
    },
  }
}

let source: () => CommandContext | undefined = () => undefined
let own: CommandContext | undefined

/**
 * The context of the command running now. The binary has one per process; an in-process runner
 * installs a source that finds the context of the run the caller belongs to (an AsyncLocalStorage).
 */
export function commandContext(): CommandContext {
  const ctx = source()
  if (ctx !== undefined) return ctx
  own ??= processContext()
  return own
}

/** For an in-process runner only: where commandContext() finds the context of the current run. */
export function setContextSource(find: () => CommandContext | undefined): void {
  source = find
}
