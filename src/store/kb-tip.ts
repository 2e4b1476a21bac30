// kb-tip.json in the desk's cache folder: the last commit whose kb/ tree tix knows, so that a warm
// `tix kb search` asks git nothing (see kb-index.ts). A commit of ours that changes only tickets
// keeps its parent's kb/ tree, so the writer moves the record along (followKbTip) without git.
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const file = (cacheDir: string) => join(cacheDir, 'kb-tip.json')

export function readKbTip(cacheDir: string): {commit: string; tree: string | null} | null {
  try {
    const v = JSON.parse(readFileSync(file(cacheDir), 'utf8')) as {commit?: unknown; tree?: unknown}
    return typeof v.commit === 'string' && (v.tree === null || typeof v.tree === 'string') ? {commit: v.commit, tree: v.tree} : null
  } catch {
    return null
  }
}

export function writeKbTip(cacheDir: string, commit: string, tree: string | null): void {
  try {
    mkdirSync(cacheDir, {recursive: true})
    const tmp = `${file(cacheDir)}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify({commit, tree}))
    renameSync(tmp, file(cacheDir))
  } catch {
    // an optimisation only
  }
}

/** After our own commit that changed no file under kb/: its kb/ tree is its parent's. */
export function followKbTip(cacheDir: string, parent: string | null, commit: string): void {
  const known = parent === null ? null : readKbTip(cacheDir)
  if (known && known.commit === parent) writeKbTip(cacheDir, commit, known.tree)
}
