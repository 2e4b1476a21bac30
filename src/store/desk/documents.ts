// The desk's documents besides ticket logs: desk.json, macros/, customers and whatever else lives
// on the branch as a plain file. Services read them here instead of asking git themselves.
import {lsTree, readFileAt} from '../objects.js'
import {DeskWriting} from './writing.js'

export interface DeskFileEntry {
  path: string
  /** The blob's object id: equal ids mean equal contents. */
  oid: string
}

export class DeskDocuments extends DeskWriting {
  /** A file's contents at `commit` (default: the tip), or null when it has none. */
  async readFile(path: string, commit: string | null = this.requireTip()): Promise<Buffer | null> {
    if (commit === null) return null
    return readFileAt(this.repo, commit, path)
  }

  /** The same as text (UTF-8). */
  async readText(path: string, commit: string | null = this.requireTip()): Promise<string | null> {
    return (await this.readFile(path, commit))?.toString('utf8') ?? null
  }

  /** Files under `prefix` (a folder, recursively) at `commit` (default: the tip). */
  async listFiles(prefix: string, commit: string | null = this.requireTip()): Promise<DeskFileEntry[]> {
    if (commit === null) return []
    return (await lsTree(this.repo, commit, prefix)).filter((e) => e.type === 'blob').map((e) => ({path: e.path, oid: e.oid}))
  }

  /** desk.json's text at `commit` (default: the tip), from the cache when it was built from that commit. */
  async deskText(commit: string | null = this.requireTip()): Promise<string | null> {
    if (commit === null) return null
    const meta = await this.cache.meta()
    if (meta && meta.commit === commit) return meta.desk
    return this.readText('desk.json', commit)
  }
}
