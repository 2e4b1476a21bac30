// Notifications: desk.json `hooks` run a command for chosen events with the event and the ticket as
// JSON on stdin, so a team can post to chat or mail without tix knowing the service.
//
// - They run after the commit: a failing or hanging hook is reported and never loses the change.
// - The command is an argv list spawned without a shell: ticket text never reaches a shell.
// - desk.json travels with the repository, so hooks run only where someone enabled them
//   (`git config tix.hooks true` in that clone, or TIX_HOOKS=1): whoever can push to a desk must
//   not be able to run programs on every agent's machine, the reason git never transfers its hooks.
import {spawn} from 'node:child_process'
import type {HookFire} from '../domain/workflow/workflow.js'
import type {Hook, Workflow} from '../domain/workflow/workflow-config.js'
import {repoCwd} from '../store/repo.js'
import type {Desk} from '../store/desk.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'

export interface HookResult {
  hook: string
  event: string
  ticket: string
  ok: boolean
  /** Why it failed (exit code, timeout, could not start). */
  error: string | null
}

export function hooksEnabled(desk: Desk): boolean {
  const env = desk.io.env.TIX_HOOKS
  if (env !== undefined && env !== '') return env === '1' || env.toLowerCase() === 'true'
  return desk.gitConfig('tix.hooks', {bool: true}) === 'true'
}

function runOne(hook: Hook, input: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false
    const done = (err: string | null) => {
      if (!settled) {
        settled = true
        resolve(err)
      }
    }
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(hook.run[0]!, hook.run.slice(1), {cwd, env, stdio: ['pipe', 'pipe', 'pipe'], shell: false})
    } catch (error) {
      done(`could not start: ${(error as Error).message}`)
      return
    }
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8')
    })
    child.stdout!.resume() // a hook's output is not ours to print: stdout may be a --json pipe
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 1000).unref()
      done(`timed out after ${hook.timeoutMs / 1000}s`)
    }, hook.timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      done(`could not start: ${e.message}`)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const last = stderr.trim().split('\n').at(-1) ?? ''
      done(code === 0 ? null : `${signal ? `killed by ${signal}` : `exit ${code}`}${last ? `: ${last.slice(0, 200)}` : ''}`)
    })
    child.stdin!.on('error', () => {}) // the hook may not read its input
    child.stdin!.end(input)
  })
}

/**
 * Runs the hooks for what just happened. `ticketJson` gives the ticket as the JSON contract shows
 * it. Failures become one stderr line each (through desk.io.warn); nothing is thrown.
 */
export async function runHooks(desk: Desk, wf: Workflow, fires: readonly HookFire[], ticketJson: (id: string) => unknown): Promise<HookResult[]> {
  const jobs: Array<{hook: Hook; fire: HookFire}> = []
  for (const fire of fires) for (const hook of wf.hooks) if (hook.on.has(fire.hook) && hook.run.length > 0) jobs.push({hook, fire})
  if (jobs.length === 0) return []
  if (!hooksEnabled(desk)) {
    const kinds = [...new Set(jobs.map((j) => j.fire.hook))].join(', ')
    desk.io.warn(`tix: desk.json has hooks for ${kinds}; they did not run because hooks are off in this clone (turn them on with: git config tix.hooks true).`)
    return jobs.map((j) => ({hook: j.hook.name, event: j.fire.hook, ticket: j.fire.ticket, ok: false, error: 'hooks are off in this clone'}))
  }
  const cwd = repoCwd(desk.repo)
  const results: HookResult[] = []
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const {hook, fire} = jobs[next++]!
      const payload = JSON.stringify({schemaVersion: 1, kind: 'hook', hook: fire.hook, desk: wf.name, at: desk.now().toISOString(), event: fire.event, ticket: ticketJson(fire.ticket)}) + '\n'
      const env = {...desk.io.env, TIX_HOOK: fire.hook, TIX_TICKET: fire.ticket}
      const error = await runOne(hook, payload, cwd, env)
      if (error) desk.io.warn(`tix: hook "${hook.name}" (${fire.hook}, ticket ${shortIdPrefix(fire.ticket)}) failed: ${error}. The change itself is saved.`)
      results.push({hook: hook.name, event: fire.hook, ticket: fire.ticket, ok: error === null, error})
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return results
}
