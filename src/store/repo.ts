// Finding the repository the way git does (current directory upwards), in-process: spawning
// `git rev-parse` would cost more than a whole `tix list` is allowed to add (docs/architecture.md).
import {existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {TixError} from '../errors.js'
import {gitSync} from './git.js'

export interface Repo {
  /** The repository's git dir (a worktree's own dir for linked worktrees). */
  gitDir: string
  /** Shared by all worktrees: refs/heads, objects and tix's cache live here. */
  commonDir: string
  /** null for a bare repository. */
  workTree: string | null
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

const looksLikeGitDir = (dir: string) => existsSync(join(dir, 'HEAD')) && isDir(join(dir, 'objects')) && isDir(join(dir, 'refs'))

function commonDirOf(gitDir: string): string {
  try {
    const rel = readFileSync(join(gitDir, 'commondir'), 'utf8').trim()
    return isAbsolute(rel) ? rel : resolve(gitDir, rel)
  } catch {
    return gitDir
  }
}

function gitDirFromFile(file: string): string | null {
  try {
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(file, 'utf8'))
    if (!m) return null
    return resolve(dirname(file), m[1]!.trim())
  } catch {
    return null
  }
}

/** The repository containing `start`, or null. Honours GIT_DIR through git itself. */
export function findRepo(start: string): Repo | null {
  if (process.env.GIT_DIR) {
    const r = gitSync(['rev-parse', '--absolute-git-dir', '--git-common-dir', '--show-toplevel'], {cwd: start, okCodes: [128]})
    if (r.code !== 0) return null
    const [gitDir, common, top] = r.stdout.toString('utf8').trim().split('\n')
    return {gitDir: gitDir!, commonDir: resolve(start, common!), workTree: top || null}
  }
  let dir = resolve(start)
  for (;;) {
    const dotGit = join(dir, '.git')
    if (isDir(dotGit) && looksLikeGitDir(dotGit)) return {gitDir: dotGit, commonDir: commonDirOf(dotGit), workTree: dir}
    if (existsSync(dotGit) && !isDir(dotGit)) {
      const gitDir = gitDirFromFile(dotGit)
      if (gitDir) return {gitDir, commonDir: commonDirOf(gitDir), workTree: dir}
    }
    if (looksLikeGitDir(dir)) return {gitDir: dir, commonDir: commonDirOf(dir), workTree: null}
    const up = dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

export function requireRepo(start: string): Repo {
  const repo = findRepo(start)
  if (!repo) {
    throw new TixError(`${start} is not inside a git repository, so there is no desk here.`, {
      hint: 'Run `tix init` to make a desk in this folder, or pass --repo PATH (or set TIX_REPO) to use another one.',
      code: 'no-desk',
    })
  }
  return repo
}

/** The value of a ref, read from the files git keeps (loose, then packed-refs); null if absent. */
export function readRef(repo: Repo, ref: string): string | null {
  for (const dir of repo.commonDir === repo.gitDir ? [repo.gitDir] : [repo.gitDir, repo.commonDir]) {
    try {
      const v = readFileSync(join(dir, ref), 'utf8').trim()
      if (/^[0-9a-f]{40,64}$/.test(v)) return v
      if (v.startsWith('ref: ')) return readRef(repo, v.slice(5))
    } catch {
      // not a loose ref here
    }
  }
  try {
    const packed = readFileSync(join(repo.commonDir, 'packed-refs'), 'utf8')
    const at = packed.indexOf(` ${ref}\n`)
    if (at >= 0) {
      const lineStart = packed.lastIndexOf('\n', at) + 1
      return packed.slice(lineStart, at)
    }
    if (packed.endsWith(` ${ref}`)) {
      const lineStart = packed.lastIndexOf('\n') + 1
      return packed.slice(lineStart, packed.length - ref.length - 1)
    }
  } catch {
    // no packed-refs
  }
  return null
}

/** Environment for git commands aimed at this repository, whatever the current directory. */
export const repoEnv = (repo: Repo): NodeJS.ProcessEnv => ({GIT_DIR: repo.gitDir})
export const repoCwd = (repo: Repo): string => repo.workTree ?? repo.gitDir
