// Real git repositories in temp folders, and the CLI: in-process (tixIn, most tests) or the built binary as a real process (tix).
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll} from 'vitest'
import {Desk, type DeskIO} from '../src/store/desk.js'
import {initDesk} from '../src/services/tickets.js'
import {runTix} from './run-tix.js'

export const ROOT = resolve(import.meta.dirname, '..')
export const BIN = join(ROOT, 'bin', 'run.js')

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

export function tempDir(prefix = 'tix-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {cwd, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

export function gitRepo(): string {
  const d = tempDir()
  git(d, 'init', '--quiet', '-b', 'main')
  return d
}

export function testIO(cwd: string, env: NodeJS.ProcessEnv = {}, warnings: string[] = []): DeskIO {
  return {cwd, env: {...process.env, ...env}, warn: (l) => warnings.push(l)}
}

/** A fresh repository with an initialised desk, opened in-process. */
export async function makeDesk(env: NodeJS.ProcessEnv = {}): Promise<{dir: string; desk: Desk; warnings: string[]}> {
  const dir = gitRepo()
  const warnings: string[] = []
  await initDesk(testIO(dir, env, warnings))
  return {dir, desk: await Desk.open(testIO(dir, env, warnings)), warnings}
}

export interface Run {
  code: number
  stdout: string
  stderr: string
  json: () => any
}

/**
 * The environment the CLI runs in: the test's, without vitest's NODE_ENV=test, under which oclif
 * looks for TypeScript sources on every start (3x slower, and not what users run).
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = {...process.env, ...extra}
  if (extra.NODE_ENV === undefined) delete env.NODE_ENV
  return env
}

/** Runs the built CLI (`npm run build` first; `npm test` does). */
export function tix(cwd: string, args: string[], opts: {env?: NodeJS.ProcessEnv; input?: string} = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, env: cliEnv(opts.env), input: opts.input ?? '', encoding: 'utf8'})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout)}
}

/**
 * The same command line run in this process (test/run-tix.ts): the same lanes, output and exit
 * code as tix(), without a process start. What still needs the binary is listed in test/e2e/README.md.
 */
export async function tixIn(cwd: string, args: string[], opts: {env?: NodeJS.ProcessEnv; input?: string; tty?: {stdin?: boolean; stdout?: boolean; stderr?: boolean}} = {}): Promise<Run> {
  const r = await runTix(args, {cwd, env: cliEnv(opts.env), stdin: opts.input, tty: opts.tty})
  return {code: r.exitCode, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout)}
}

/** The same, asynchronously: for starting many processes at once. */
export function tixAsync(cwd: string, args: string[], opts: {env?: NodeJS.ProcessEnv} = {}): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: cliEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => res({code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout)}))
  })
}
