// Reading the desk's history for what its tip alone cannot show: commits that took events out of a
// ticket log. The logs are append-only, so every such commit is either damage or an attack (a
// `git rm`, a truncation, a `git revert` of a ticket commit); `tix doctor` lists them.
import {parseEventLines, serializeEvent} from '../domain/ticket/events.js'
import {git} from './git.js'
import {readBlobs} from './objects.js'
import {repoCwd, repoEnv, type Repo} from './repo.js'

const TICKET_PATH = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/
const ZERO = /^0+$/

export interface LogRewrite {
  /** The commit that removed events (a merge: compared with each of its parents). */
  commit: string
  id: string
  path: string
  /** Events of the parent's log missing from the commit's. */
  missing: number
  deleted: boolean
  /** How many of those events the tip still lacks (0: a later merge restored them all). */
  lostAtTip: number
}

const eventLines = (text: string) => new Set(parseEventLines(text).events.map(serializeEvent))

/** Every commit reachable from `tip` that removed or changed event lines of a ticket log. */
export async function findLogRewrites(repo: Repo, tip: string): Promise<LogRewrite[]> {
  const opts = {cwd: repoCwd(repo), env: repoEnv(repo)}
  // Every commit (no path limiting: history simplification would rewrite parents and skip merges),
  // with its parents; diff-tree compares each with each parent (a merge once per parent).
  const commits = (await git(['rev-list', '--parents', tip], opts)).stdout.toString('utf8')
  const input = commits
    .split('\n')
    .filter((l) => l.includes(' '))
    .join('\n')
  if (input === '') return []
  const r = await git(['diff-tree', '--stdin', '-m', '-r', '-z', '--raw', '--no-renames', '--', 'tickets'], {...opts, input: input + '\n'})
  const suspects: {commit: string; path: string; before: string; after: string | null}[] = []
  const parts = r.stdout.toString('utf8').split('\0')
  let commit = ''
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p === '') continue
    if (/^[0-9a-f]{40,64}$/.test(p)) {
      commit = p
      continue
    }
    if (!p.startsWith(':')) continue
    const path = parts[++i] ?? ''
    const [, , src, dst] = p.slice(1).split(' ')
    if (!TICKET_PATH.test(path) || ZERO.test(src!)) continue // created here: nothing to lose
    suspects.push({commit, path, before: src!, after: ZERO.test(dst!) ? null : dst!})
  }
  if (suspects.length === 0) return []
  const oids = [...new Set(suspects.flatMap((s) => (s.after ? [s.before, s.after] : [s.before])))]
  const tipNames = [...new Set(suspects.map((s) => s.path))]
  const [blobs, atTip] = await Promise.all([readBlobs(repo, oids), readBlobs(repo, tipNames.map((p) => `${tip}:${p}`))])
  const text = new Map(oids.map((oid, i) => [oid, blobs[i]?.toString('utf8') ?? '']))
  const tipText = new Map(tipNames.map((p, i) => [p, atTip[i]?.toString('utf8') ?? '']))
  const out: LogRewrite[] = []
  for (const s of suspects) {
    const had = text.get(s.before)!
    const now = s.after ? text.get(s.after)! : ''
    if (s.after && now.startsWith(had)) continue // appended: the usual case
    const kept = eventLines(now)
    const lost = [...eventLines(had)].filter((l) => !kept.has(l))
    if (lost.length === 0) continue
    const atTipNow = eventLines(tipText.get(s.path)!)
    out.push({
      commit: s.commit,
      id: TICKET_PATH.exec(s.path)![1]!,
      path: s.path,
      missing: lost.length,
      deleted: s.after === null,
      lostAtTip: lost.filter((l) => !atTipNow.has(l)).length,
    })
  }
  return out
}
