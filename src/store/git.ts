// Every git call goes through here, so a failure is wrapped once with the command and git's words.
import {spawn, spawnSync} from 'node:child_process'
import {TixError} from '../errors.js'

export interface GitOptions {
  cwd: string
  input?: string | Buffer
  env?: NodeJS.ProcessEnv
  /** Exit codes that are answers rather than failures (e.g. 1 from `rev-parse --verify -q`). */
  okCodes?: number[]
  /** Each line of stderr as it arrives (git's progress ends its lines with \r), besides collecting it. */
  onStderrLine?: (line: string) => void
}

export interface GitResult {
  stdout: Buffer
  stderr: string
  code: number
}

/** A stable environment: no pager, no prompts, no translated messages to parse. */
export function gitEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', LANG: 'C', ...extra}
}

/**
 * For `git fast-import`: glibc otherwise gives memory back to the system after every blob and asks
 * for it again for the next one (4 brk calls a blob). Where a system call is expensive (a VM) that
 * made a 10,000-ticket import spend 40 s in the kernel instead of 1.5 s. Other C libraries ignore these.
 */
export const FAST_IMPORT_ENV: NodeJS.ProcessEnv = {MALLOC_TOP_PAD_: String(64 << 20), MALLOC_TRIM_THRESHOLD_: String(256 << 20)}

export class GitError extends TixError {
  constructor(args: readonly string[], code: number, stderr: string) {
    const words = stderr.trim().split('\n').slice(-3).join(' ')
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${words || 'no message'}`, {code: 'git'})
  }
}

export function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args as string[], {cwd: opts.cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    let partial = ''
    child.stderr.on('data', (d: Buffer) => {
      err.push(d)
      if (!opts.onStderrLine) return
      const parts = (partial + d.toString('utf8')).split(/[\r\n]/)
      partial = parts.pop() ?? ''
      for (const line of parts) if (line !== '') opts.onStderrLine(line)
    })
    child.on('error', (e) => reject(new TixError(`Could not run git: ${e.message}`, {hint: 'Install git 2.39 or newer and make sure it is on PATH.'})))
    child.on('close', (code) => {
      const res = {stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1}
      if (res.code === 0 || opts.okCodes?.includes(res.code)) resolve(res)
      else reject(new GitError(args, res.code, res.stderr))
    })
    child.stdin.on('error', () => {}) // git may exit before reading all input; the exit code says why
    child.stdin.end(opts.input ?? '')
  })
}

/** Synchronous variant for the few places that run before anything async (repository discovery). */
export function gitSync(args: readonly string[], opts: GitOptions): GitResult {
  const r = spawnSync('git', args as string[], {cwd: opts.cwd, env: gitEnv(opts.env), input: opts.input})
  const res = {stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString('utf8') ?? '', code: r.status ?? 1}
  if (r.error) throw new TixError(`Could not run git: ${r.error.message}`, {hint: 'Install git 2.39 or newer and make sure it is on PATH.'})
  if (res.code !== 0 && !opts.okCodes?.includes(res.code)) throw new GitError(args, res.code, res.stderr)
  return res
}

/**
 * git's own progress ("Receiving objects:  45% (23000/51077), 1.2 MiB | 2 MiB/s") in our words:
 * the phase and the counts, or null for a line that is not progress.
 */
export function gitProgress(line: string): string | null {
  const m = /^(?:remote: )?([A-Z][a-z]+(?: [a-z]+)*):\s+(\d+)% \((\d+)\/(\d+)\)/.exec(line.trim())
  if (!m) return null
  const n = (s: string) => Number(s).toLocaleString('en')
  return `${m[1]!.toLowerCase()} ${m[2]}% (${n(m[3]!)} of ${n(m[4]!)})`
}
