// Who is acting (DESIGN.md §7): TIX_ACTOR, else git's user.email/user.name, else user@host with a
// one-line notice, so a fresh CI runner with no git identity can still file a ticket.
import {hostname, userInfo} from 'node:os'
import {gitSync} from './git.js'
import {repoCwd, repoEnv, type Repo} from './repo.js'

export interface Actor {
  /** What events record in `by`: the e-mail when there is one. */
  id: string
  name: string
  email: string
  source: 'TIX_ACTOR' | 'git' | 'system'
}

export function parseActor(value: string): {name: string; email: string} {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  if (m) return {name: m[1] || m[2]!, email: m[2]!.trim()}
  return {name: value.trim(), email: value.trim()}
}

export function resolveActor(repo: Repo | null, env: NodeJS.ProcessEnv, warn: (line: string) => void): Actor {
  const fromEnv = env.TIX_ACTOR?.trim()
  if (fromEnv) {
    const {name, email} = parseActor(fromEnv)
    return {id: email, name, email, source: 'TIX_ACTOR'}
  }
  if (repo) {
    const r = gitSync(['config', '--get-regexp', '^user\\.(name|email)$'], {cwd: repoCwd(repo), env: repoEnv(repo), okCodes: [1]})
    const conf: Record<string, string> = {}
    for (const line of r.stdout.toString('utf8').split('\n')) {
      const sp = line.indexOf(' ')
      if (sp > 0) conf[line.slice(0, sp)] = line.slice(sp + 1).trim()
    }
    const email = conf['user.email']
    if (email) return {id: email, name: conf['user.name'] || email, email, source: 'git'}
  }
  let user = 'user'
  try {
    user = userInfo().username || user
  } catch {
    // no passwd entry (containers): keep the default
  }
  const id = `${user}@${hostname() || 'localhost'}`
  warn(`tix: acting as ${id} (set TIX_ACTOR or git config user.email to choose a name).`)
  return {id, name: user, email: id, source: 'system'}
}
