// Who is acting (the `by` of every event: docs/storage.md): TIX_ACTOR, else git's user.email/user.name, else user@host with a
// one-line notice, so a fresh CI runner with no git identity can still file a ticket.
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {homedir, hostname, userInfo} from 'node:os'
import {join} from 'node:path'
import {checkActor} from '../domain/ticket/values.js'
import {gitSync} from './git.js'
import {repoCwd, repoEnv, type Repo} from './repo.js'

export interface Actor {
  /** What events record in `by`: the e-mail when there is one. */
  id: string
  name: string
  email: string
  source: 'TIX_ACTOR' | 'git' | 'system'
}

export function resolveActor(repo: Repo | null, env: NodeJS.ProcessEnv, warn: (line: string) => void): Actor {
  const fromEnv = env.TIX_ACTOR?.trim()
  if (fromEnv) {
    const {name, email} = checkActor(fromEnv) // "<>" or "noemail" is refused (exit 2), never recorded
    return {id: email, name, email, source: 'TIX_ACTOR'}
  }
  if (repo) {
    const conf = gitIdentity(repo, env)
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

/**
 * user.name and user.email as git resolves them. Asking git costs a process (~4 ms, paid by every
 * command that needs the actor), so the answer is kept in the cache folder together with the size
 * and time of every config file git reads; any change to one of them (or to GIT_* variables) asks
 * git again. (An [include]d file that changes on its own is not noticed until the next such change.)
 */
function gitIdentity(repo: Repo, env: NodeJS.ProcessEnv): Record<string, string> {
  const home = env.HOME || homedir()
  const files = [
    join(repo.commonDir, 'config'),
    env.GIT_CONFIG_GLOBAL ?? join(home, '.gitconfig'),
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config'),
    ...(env.GIT_CONFIG_NOSYSTEM ? [] : [env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig']),
  ]
  const stamp = (f: string) => {
    try {
      const st = statSync(f)
      return `${st.size}:${st.mtimeMs}`
    } catch {
      return '-'
    }
  }
  const gitVars = Object.keys(env).filter((k) => k.startsWith('GIT_')).sort().map((k) => `${k}=${env[k]}`)
  const key = JSON.stringify([files.map((f) => `${f}@${stamp(f)}`), gitVars])
  const cacheFile = join(repo.commonDir, 'tix', 'identity.json')
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as {key: string; conf: Record<string, string>}
    if (cached.key === key) return cached.conf
  } catch {
    // no cached answer yet
  }
  const r = gitSync(['config', '--get-regexp', '^user\\.(name|email)$'], {cwd: repoCwd(repo), env: repoEnv(repo), okCodes: [1]})
  const conf: Record<string, string> = {}
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const sp = line.indexOf(' ')
    if (sp > 0) conf[line.slice(0, sp)] = line.slice(sp + 1).trim()
  }
  try {
    mkdirSync(join(repo.commonDir, 'tix'), {recursive: true})
    writeFileSync(cacheFile, JSON.stringify({key, conf}))
  } catch {
    // read-only repository: ask git every time
  }
  return conf
}
