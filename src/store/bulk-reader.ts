// Reading many tickets in full (events and thread) with one `git cat-file --batch`, one at a time:
// exports stream through here without holding the desk in memory.
import {catFileBatch, lsTree} from './objects.js'
import {foldFile, ticketPath, type Desk, type LoadedTicket} from './desk.js'

/** Calls `each` with every ticket of `ids` at `commit`, in the order given (missing files are skipped). */
export async function eachTicket(desk: Desk, ids: readonly string[], commit: string, each: (id: string, ticket: LoadedTicket) => void): Promise<void> {
  if (ids.length === 0) return
  // Blob ids from one ls-tree: cat-file then reads objects by id, without resolving a path each time.
  const oids = new Map<string, string>()
  for (const e of await lsTree(desk.repo, commit, 'tickets')) if (e.type === 'blob') oids.set(e.path, e.oid)
  const wanted = ids.filter((id) => oids.has(ticketPath(id)))
  await catFileBatch(desk.repo, wanted.map((id) => oids.get(ticketPath(id))!), (i, content) => {
    if (content === null) return
    const id = wanted[i]!
    each(id, foldFile(id, ticketPath(id), content.toString('utf8')))
  })
}
