// Reading many tickets in full (events and thread) with one `git cat-file --batch`, one at a time:
// exports stream through here without holding the desk in memory.
import {catFileBatch} from './objects.js'
import {foldFile, ticketPath, type Desk, type LoadedTicket} from './desk.js'

/** Calls `each` with every ticket of `ids` at `commit`, in the order given (missing files are skipped). */
export async function eachTicket(desk: Desk, ids: readonly string[], commit: string, each: (id: string, ticket: LoadedTicket) => void): Promise<void> {
  const CHUNK = 2_000
  for (let from = 0; from < ids.length; from += CHUNK) {
    const part = ids.slice(from, from + CHUNK)
    await catFileBatch(desk.repo, part.map((id) => `${commit}:${ticketPath(id)}`), (i, content) => {
      if (content === null) return
      const id = part[i]!
      each(id, foldFile(id, ticketPath(id), content.toString('utf8')))
    })
  }
}
