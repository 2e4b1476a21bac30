// kb-tip.json in the desk's cache folder: the last commit whose kb/ tree tix knows, so that a warm
// `tix kb search` asks git nothing (see kb-index.ts). A commit of ours that changes only tickets
// keeps its parent's kb/ tree (and desk.json), so the writer moves the record along (followKbTip)
// without git.
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const file = (cacheDir: string) => join(cacheDir, 'kb-tip.json')

export interface KbTip {
  commit: string
  tree: string | null
  /** desk.json's text at `commit` (null: none; absent: not recorded), for the links a search prints. */
  desk?: string | null
}

export function readKbTip(cacheDir: string): KbTip | null {
  try {
    const v = JSON.parse(readFileSync(file(cacheDir), 'utf8')) as {commit?: unknown; tree?: unknown; desk?: unknown}
    if (typeof v.commit !== 'string' || !(v.tree === null || typeof v.tree === 'string')) return null
    return {commit: v.commit, tree: v.tree, ...(v.desk === null || typeof v.desk === 'string' ? {desk: v.desk} : {})}
  } catch {
    return null
  }
}

export function writeKbTip(cacheDir: string, commit: string, tree: string | null, desk?: string | null): void {
  try {
    mkdirSync(cacheDir, {recursive: true})
    const tmp = `${file(cacheDir)}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify({commit, tree, ...(desk !== undefined ? {desk} : {})}))
    renameSync(tmp, file(cacheDir))
  } catch {
    // an optimisation only
  }
}

/** After our own commit that changed only ticket files: its kb/ tree and desk.json are its parent's. */
export function followKbTip(cacheDir: string, parent: string | null, commit: string): void {
  const known = parent === null ? null : readKbTip(cacheDir)
  if (known && known.commit === parent) writeKbTip(cacheDir, commit, known.tree, known.desk)
}
