// The CLI run in-process: the same path as bin/run.js + commands/index.ts (the fast lane, or oclif
// for help, topics and unknown commands), with a context of its own for each run (its streams,
// environment, folder and exit code; commands/context.ts), so a command test spawns no process.
//
// What is patched, once per test worker, and only routes the output of a run to that run:
// - oclif's Exit.exit (handle() calls process.exit): inside a run it records the code instead;
// - console.log/console.error (oclif's help, its error printer) and process.stdout/stderr.write:
//   inside a run they write to the run's streams, outside they do what they did.
// Runs may overlap (each finds its own through an AsyncLocalStorage), but oclif still reads some
// of process.env itself (TIX_CONTENT_TYPE, DEBUG): a test that needs those spawns the binary.
import {AsyncLocalStorage} from 'node:async_hooks'
import {copyFileSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import Module from 'node:module'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {Readable, Writable} from 'node:stream'
import {format} from 'node:util'
import {Config, settings} from '@oclif/core'
import {Exit} from '@oclif/core/handle'
import {clockOf, setContextSource, type CommandContext} from '../commands/context.js'
import * as cli from '../commands/index.js'
import {Desk} from '../src/store/desk.js'

const ROOT = resolve(import.meta.dirname, '..')

export interface RunOptions {
  /** The folder the command is typed in. */
  cwd: string
  /** The whole environment of the run (no process.env merged in here: see cliEnv in helpers.ts). */
  env: NodeJS.ProcessEnv
  /** Standard input (a pipe that ends after it; empty when not given). */
  stdin?: string | Buffer
  /** Which streams are terminals (all false: a pipe, as spawnSync gives). */
  tty?: {stdin?: boolean; stdout?: boolean; stderr?: boolean}
  /** The terminal's width and height, when stdout is one. */
  columns?: number
  rows?: number
}

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
}

interface Running {
  ctx: CommandContext
  exited?: number
}

const runs = new AsyncLocalStorage<Running>()

class Collected extends Writable {
  private readonly chunks: Buffer[] = []
  isTTY?: boolean
  columns?: number
  rows?: number

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk)
    done()
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

let installed = false

function install(): void {
  if (installed) return
  installed = true
  setContextSource(() => runs.getStore()?.ctx)
  const exit = Exit.exit.bind(Exit)
  Exit.exit = ((code = 0) => {
    const run = runs.getStore()
    if (run === undefined) return exit(code)
    run.exited ??= code
  }) as typeof Exit.exit
  for (const [name, stream] of [['log', 'stdout'], ['info', 'stdout'], ['error', 'stderr'], ['warn', 'stderr']] as const) {
    const original = console[name].bind(console)
    console[name] = (...args: unknown[]) => {
      const run = runs.getStore()
      if (run === undefined) return original(...args)
      run.ctx[stream].write(format(...args) + '\n')
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const original = process[stream].write.bind(process[stream]) as (...a: unknown[]) => boolean
    process[stream].write = ((...args: unknown[]) => {
      const run = runs.getStore()
      if (run === undefined) return original(...args)
      return (run.ctx[stream].write as (...a: unknown[]) => boolean)(...args)
    }) as typeof process.stdout.write
  }
}

let oclifRoot: Promise<string> | undefined

/**
 * The folder oclif loads its configuration from: package.json in a folder of its own, whose
 * dist/cli.cjs is this source's commands/index.ts (as bin/run.js puts the loaded bundle in
 * require's cache), so help, topics and the command_not_found hook see the commands under test,
 * not the last build; and an oclif.manifest.json made from them, as the build makes one. Each run
 * loads a fresh Config from it, as each process does (oclif's topic help changes the one it used).
 */
function oclifDir(): Promise<string> {
  oclifRoot ??= (async () => {
    settings.enableAutoTranspile = false // vitest's NODE_ENV=test would have oclif look for ts-node
    const root = mkdtempSync(join(tmpdir(), 'tix-oclif-'))
    copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'))
    mkdirSync(join(root, 'dist'))
    const file = join(root, 'dist', 'cli.cjs')
    writeFileSync(file, '')
    const mod = new Module(file)
    mod.filename = file
    mod.exports = cli
    mod.loaded = true
    ;(Module as unknown as {_cache: Record<string, Module>})._cache[file] = mod
    const config = await Config.load({root, ignoreManifest: true})
    const plugin = config.getPluginsList().find((p) => p.isRoot) as unknown as {manifest: unknown}
    writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest) + '\n')
    return root
  })()
  return oclifRoot
}

/** `tix <argv>` in this process: stdout, stderr and the exit code the binary would give. */
export async function runTix(argv: string[], opts: RunOptions): Promise<RunResult> {
  install()
  const tty = opts.tty ?? {}
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as Readable & {isTTY?: boolean}
  stdin.isTTY = tty.stdin ?? false
  const stdout = new Collected()
  const stderr = new Collected()
  stdout.isTTY = tty.stdout ?? false
  stderr.isTTY = tty.stderr ?? false
  if (stdout.isTTY) {
    stdout.columns = opts.columns ?? 100
    stdout.rows = opts.rows ?? 40
  }
  const env = {...opts.env}
  const ctx: CommandContext = {
    stdin,
    stdinBytes: () => Buffer.from(opts.stdin ?? ''),
    stdout,
    stderr,
    env,
    cwd: opts.cwd,
    now: clockOf(env),
    openDesk: (io) => Desk.open(io),
    exitCode: undefined,
  }
  const run: Running = {ctx}
  const before = process.exitCode
  const drains = new Set(process.stdout.listeners('drain'))
  process.exitCode = undefined
  try {
    // the fast lane reads no configuration (ROOT is never loaded then)
    const dir = env.TIX_OCLIF_FULL || cli.fastLane(argv) === null ? await oclifDir() : ROOT
    await runs.run(run, () => cli.runCommandLine(argv, ctx, dir))
  } finally {
    // oclif's own code may still set process.exitCode: it belongs to this run, not to vitest
    const leaked = process.exitCode
    process.exitCode = before
    // oclif's flush() waits for a 'drain' of the real stdout, which the run's write never needs
    for (const l of process.stdout.listeners('drain')) if (!drains.has(l)) process.stdout.off('drain', l as () => void)
    run.exited ??= typeof leaked === 'number' && leaked !== 0 ? leaked : undefined
  }
  return {stdout: stdout.text(), stderr: stderr.text(), exitCode: run.exited ?? ctx.exitCode ?? 0}
}
