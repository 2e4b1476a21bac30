// Many new ticket files in a few commits through one `git fast-import` run (imports). The first
// commit starts from the tip the caller read; fast-import moves the branch at the end only if the
// new commits descend from where it is then, so a concurrent change makes the import fail whole
// (nothing referenced) instead of overwriting it.
import {spawn} from 'node:child_process'
import {TixError} from '../errors.js'
import {FAST_IMPORT_ENV, gitEnv} from './git.js'
import {repoCwd, repoEnv} from './repo.js'
import type {Desk} from './desk.js'
import {ticketPath} from './desk.js'

const clean = (s: string) => s.replace(/[<>\n\r\0]/g, '').trim()

export class BulkWriter {
  private readonly child
  private readonly out: Buffer[] = []
  private stderr = ''
  private readonly closed: Promise<number>
  private parts: (string | Buffer)[] = []
  private size = 0
  private mark = 0
  private open = false
  private readonly commits: number[] = []

  constructor(
    private readonly desk: Desk,
    private readonly parent: string | null,
    private readonly author: {name: string; email: string},
    private readonly at: Date,
  ) {
    this.child = spawn('git', ['fast-import', '--quiet', '--done'], {cwd: repoCwd(desk.repo), env: gitEnv({...FAST_IMPORT_ENV, ...repoEnv(desk.repo)}), stdio: ['pipe', 'pipe', 'pipe']})
    this.child.stdout.on('data', (d: Buffer) => this.out.push(d))
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')))
    this.closed = new Promise((resolve, reject) => {
      this.child.on('error', reject)
      this.child.on('close', (code) => resolve(code ?? 1))
    })
    this.child.stdin.on('error', () => {})
    this.raw('feature done\n')
  }

  private raw(text: string | Buffer): void {
    this.parts.push(text)
    this.size += text.length
  }

  private data(text: string | Buffer): void {
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
    this.raw(`data ${buf.length}\n`)
    this.raw(buf)
    this.raw('\n')
  }

  /** Starts a commit; the files added next go into it. */
  beginCommit(message: string): void {
    const when = `${Math.floor(this.at.getTime() / 1000)} +0000`
    const who = `${clean(this.author.name) || clean(this.author.email) || 'tix'} <${clean(this.author.email)}>`
    const mark = ++this.mark
    this.raw(`commit ${this.desk.ref}\nmark :${mark}\nauthor ${who} ${when}\ncommitter ${who} ${when}\n`)
    this.data(message.endsWith('\n') ? message : message + '\n')
    if (this.commits.length === 0 && this.parent) this.raw(`from ${this.parent}\n`)
    this.commits.push(mark)
    this.open = true
  }

  /** Adds a new ticket file to the open commit. */
  async addTicket(id: string, content: string): Promise<void> {
    if (!this.open) throw new Error('BulkWriter: beginCommit first')
    if (!/^[0-9A-Z]{10}$/.test(id)) throw new TixError(`Refusing to write ticket "${id}": not a valid id.`)
    this.raw(`M 100644 inline ${ticketPath(id)}\n`)
    this.data(content)
    if (this.size >= 1 << 16) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)))
    this.parts = []
    this.size = 0
    if (!this.child.stdin.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.child.stdin.off('drain', done)
          this.child.off('close', done)
          resolve()
        }
        this.child.stdin.on('drain', done)
        this.child.on('close', done)
      })
    }
  }

  /** Ends the stream; returns the last commit (null when no commit was begun). */
  async finish(): Promise<string | null> {
    if (this.commits.length > 0) this.raw(`get-mark :${this.commits.at(-1)}\n`)
    this.raw('done\n')
    await this.flush()
    this.child.stdin.end()
    const code = await this.closed
    if (code !== 0) {
      const words = this.stderr.trim().split('\n').slice(-2).join(' ')
      if (/not updating|does not contain|not a fast.forward/i.test(this.stderr)) {
        throw new TixError(`The desk changed while importing (another command wrote to it); nothing was imported.`, {hint: 'Run the same `tix import` again: tickets already on the desk are skipped.'})
      }
      throw new TixError(`git fast-import failed: ${words || `exit ${code}`}`)
    }
    if (this.commits.length === 0) return null
    const commit = Buffer.concat(this.out).toString('utf8').trim().split('\n').at(-1) ?? ''
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new TixError(`git fast-import did not report the new commit (got ${JSON.stringify(commit)}).`)
    return commit
  }

  /** Stops without moving the branch (a failed validation after the stream began). */
  abort(): void {
    this.child.kill()
  }
}
