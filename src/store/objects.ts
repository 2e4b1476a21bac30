// Reading the desk branch with plumbing: cat-file --batch for contents, ls-tree and diff-tree for
// what exists and what changed. Never the working tree or the index (docs/storage.md).
import {spawn} from 'node:child_process'
import {git, gitEnv, GitError} from './git.js'
import {repoCwd, repoEnv, type Repo} from './repo.js'

const run = (repo: Repo, args: string[], okCodes?: number[]) => git(args, {cwd: repoCwd(repo), env: repoEnv(repo), okCodes})

/**
 * Streams `git cat-file --batch` for `names` (object ids or `<commit>:<path>`), calling `onObject`
 * with each one's content (null when missing) in order. Nothing is held beyond one object.
 */
export function catFileBatch(repo: Repo, names: readonly string[], onObject: (index: number, content: Buffer | null) => void): Promise<void> {
  if (names.length === 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {cwd: repoCwd(repo), env: gitEnv(repoEnv(repo)), stdio: ['pipe', 'pipe', 'pipe']})
    let pending: Buffer = Buffer.alloc(0)
    let index = 0
    let need = -1 // bytes of content (+1 newline) still to read for the current object
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      for (;;) {
        if (need < 0) {
          const nl = pending.indexOf(10)
          if (nl < 0) return
          const header = pending.subarray(0, nl).toString('utf8')
          pending = pending.subarray(nl + 1)
          if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
            onObject(index++, null)
            continue
          }
          const size = Number(header.slice(header.lastIndexOf(' ') + 1))
          need = size + 1
        }
        if (pending.length < need) return
        onObject(index++, pending.subarray(0, need - 1))
        pending = pending.subarray(need)
        need = -1
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new GitError(['cat-file', '--batch'], code ?? 1, stderr))
      else if (index !== names.length) reject(new GitError(['cat-file', '--batch'], 0, `answered ${index} of ${names.length} objects`))
      else resolve()
    })
    child.stdin.on('error', () => {})
    child.stdin.end(names.join('\n') + '\n')
  })
}

export async function readBlobs(repo: Repo, names: readonly string[]): Promise<(Buffer | null)[]> {
  const out: (Buffer | null)[] = new Array(names.length).fill(null)
  await catFileBatch(repo, names, (i, content) => (out[i] = content === null ? null : Buffer.from(content)))
  return out
}

export async function readFileAt(repo: Repo, commit: string, path: string): Promise<Buffer | null> {
  const r = await run(repo, ['cat-file', 'blob', `${commit}:${path}`], [128])
  return r.code === 0 ? r.stdout : null
}

export interface TreeEntry {
  mode: string
  type: string
  oid: string
  path: string
}

export async function lsTree(repo: Repo, commit: string, path: string, recursive = true): Promise<TreeEntry[]> {
  const r = await run(repo, ['ls-tree', '-z', ...(recursive ? ['-r'] : []), commit, '--', path])
  const out: TreeEntry[] = []
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (rec === '') continue
    const tab = rec.indexOf('\t')
    const [mode, type, oid] = rec.slice(0, tab).split(' ')
    out.push({mode: mode!, type: type!, oid: oid!, path: rec.slice(tab + 1)})
  }
  return out
}

/**
 * The blobs under `path` at `commit` as two lists (object id and path of each), read from ls-tree's
 * bytes without an object per entry: the index build lists every ticket file, 100,000 of them on a
 * large desk, and the entries as objects were 20 MB of the build's memory.
 */
export async function lsTreeBlobs(repo: Repo, commit: string, path: string): Promise<{oids: string[]; paths: string[]}> {
  const out = (await run(repo, ['ls-tree', '-z', '-r', commit, '--', path])).stdout
  const oids: string[] = []
  const paths: string[] = []
  for (let at = 0; at < out.length; ) {
    let end = out.indexOf(0, at)
    if (end < 0) end = out.length
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = out.indexOf(9, at)
    const sp1 = out.indexOf(32, at)
    const sp2 = out.indexOf(32, sp1 + 1)
    if (tab > 0 && tab < end && sp2 > 0 && sp2 < tab && out.toString('latin1', sp1 + 1, sp2) === 'blob') {
      oids.push(out.toString('latin1', sp2 + 1, tab))
      paths.push(out.toString('utf8', tab + 1, end))
    }
    at = end + 1
  }
  return {oids, paths}
}

export interface Change {
  status: string
  path: string
}

/** Paths that differ between two commits (any two: they need not be related). */
export async function diffTree(repo: Repo, from: string, to: string): Promise<Change[]> {
  const r = await run(repo, ['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to])
  const parts = r.stdout.toString('utf8').split('\0')
  const out: Change[] = []
  for (let i = 0; i + 1 < parts.length; i += 2) out.push({status: parts[i]!, path: parts[i + 1]!})
  return out
}
