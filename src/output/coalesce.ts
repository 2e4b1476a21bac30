// Standard output of a command run by the binary, in a few large writes instead of one per line
// (issue 14: on the 10k bench desk `tix dept list` made 6 writes, `tix history` 5, `tix show` 2;
// each is a system call and, in a pipe, a wake-up of the reader). What a command writes during one turn of the event loop
// is held and written at once:
// - at the end of that turn (setImmediate), so a long-running command (`tix serve`, `tix sync`)
//   shows each line as it is made;
// - before anything goes to stderr, so that `2>&1` keeps the order the command wrote in;
// - before a chunk of CHUNK bytes or more, which is written as it comes, with the pipe's
//   back-pressure (a wide list streams through untouched);
// - before a child process takes the terminal (the pager, an editor: flushOutput in runtime.ts);
// - at exit.
// The TUI draws on the terminal itself and is not coalesced.

/** From this size a chunk is written as it comes (and what is held is written first). */
const CHUNK = 16 * 1024

type Chunk = string | Uint8Array
type Callback = (error?: Error | null) => void
type Write = (chunk: Chunk, encoding?: BufferEncoding | Callback, cb?: Callback) => boolean

/**
 * Makes `out.write` hold what it is given until one of the moments above, and `err.write` write
 * what `out` holds first. Returns the function that writes what is held now.
 */
export function coalesceWrites(out: NodeJS.WritableStream, err: NodeJS.WritableStream): () => void {
  const write = out.write.bind(out) as Write
  const writeErr = err.write.bind(err) as Write
  let held: Chunk[] = []
  let size = 0
  let scheduled = false
  const flush = (): boolean => {
    if (held.length === 0) return true
    const parts = held
    held = []
    size = 0
    if (parts.length === 1) return write(parts[0]!)
    return write(parts.every((p) => typeof p === 'string') ? parts.join('') : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))))
  }
  const later = () => {
    scheduled = false
    flush()
  }
  out.write = ((chunk: Chunk, encoding?: BufferEncoding | Callback, cb?: Callback): boolean => {
    const plain = typeof encoding !== 'function' && cb === undefined && (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8')
    if (!plain || chunk.length >= CHUNK || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) {
      flush()
      return write(chunk, encoding, cb)
    }
    held.push(chunk)
    size += chunk.length
    if (size >= CHUNK) return flush()
    if (!scheduled) {
      scheduled = true
      setImmediate(later)
    }
    return true
  }) as typeof out.write
  err.write = ((chunk: Chunk, encoding?: BufferEncoding | Callback, cb?: Callback): boolean => {
    flush()
    return writeErr(chunk, encoding, cb)
  }) as typeof err.write
  process.on('exit', () => flush())
  return () => void flush()
}
