// The fold worker of a large index build (bulk-reader.ts): a small bundle of its own
// (dist/fold-worker.cjs, scripts/build.mjs), not the CLI. It receives desk.json and the batches of
// ticket files the main thread read from `git cat-file`, and sends back each batch's cache lines.
import {parentPort, workerData} from 'node:worker_threads'
import {BatchFolder, type FoldSetup} from './index-fold.js'

/** A batch as posted by the main thread: the files' bytes end to end, and where each ends. */
export interface WorkerBatch {
  seq: number
  ids: string[]
  bytes: Uint8Array
  /** End offset of each file in `bytes`; -1: missing. */
  ends: Int32Array
}

const folder = new BatchFolder(workerData as FoldSetup, true)
const decoder = new TextDecoder()
parentPort!.on('message', (b: WorkerBatch) => {
  const contents: (string | null)[] = []
  let start = 0
  for (const end of b.ends) {
    if (end < 0) contents.push(null)
    else {
      contents.push(decoder.decode(b.bytes.subarray(start, end)))
      start = end
    }
  }
  const folded = folder.fold(b.ids, contents)
  // the bucket and text bytes are moved to the main thread, not copied
  parentPort!.postMessage({seq: b.seq, folded}, [folded.done.buffer as ArrayBuffer, folded.text.buffer as ArrayBuffer])
})
