// kill -9 under load: the built CLI's `tix serve` is killed while creates pour in; every create it
// acknowledged (201) is on the branch afterwards, and the desk is intact.
import {spawn} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {addToken} from '../../src/services/serve/auth.js'
import {BIN, cliEnv, git, tix} from '../helpers.js'
import {ENV} from './helpers.js'
import {makeDesk} from '../helpers.js'

describe('kill -9 under load', () => {
  it('loses no acknowledged create', async () => {
    const {dir, desk} = await makeDesk(ENV)
    const token = addToken(desk, 'load', ['tickets:write']).token
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--rate-limit', '0', '--token-rate-limit', '0'], {cwd: dir, env: cliEnv({...ENV, TIX_REPO: dir}), stdio: ['ignore', 'pipe', 'pipe']})
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
        const m = /Serving \S+ on (\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.once('exit', (code) => reject(new Error(`tix serve exited early (${code})`)))
    })
    const acknowledged: string[] = []
    let stop = false
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${url}/api/v1/tickets`, {method: 'POST', headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'}, body: JSON.stringify({title: `load ${w}-${i}`})})
          if (res.status === 201) acknowledged.push(((await res.json()) as {ticket: {id: string}}).ticket.id)
        } catch {
          return // the server is gone
        }
      }
    }
    const workers = Array.from({length: 8}, (_, w) => worker(w))
    // Kill once a good number are acknowledged, while the rest are in flight.
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGKILL')
    stop = true
    await Promise.all(workers)
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)))
    const files = new Set(git(dir, 'ls-tree', '-r', '--name-only', 'tix').split('\n'))
    const missing = acknowledged.filter((id) => !files.has(`tickets/${id.slice(0, 2)}/${id}.jsonl`))
    expect(acknowledged.length).toBeGreaterThanOrEqual(40)
    expect(missing).toEqual([])
    // the desk still works: git is consistent and tix reads every ticket
    expect(git(dir, 'fsck', '--no-dangling').trim()).toBe('')
    const list = tix(dir, ['list', '--all', '--limit', '0', '--json'], {env: ENV}).json()
    expect(list.total).toBeGreaterThanOrEqual(acknowledged.length)
  }, 120_000)
})
