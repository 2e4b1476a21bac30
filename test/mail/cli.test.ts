// The CLI in-process (tixIn), end to end: a message on stdin, JSON documents, exit codes and hints.
import {describe, expect, it} from 'vitest'
import {gitRepo, tixIn} from '../helpers.js'
import {buildMessage} from './helpers.js'

describe('tix mail (CLI)', () => {
  it('ingests stdin, lists the outbox, refuses passwords in desk.json, and says what is missing', async () => {
    const dir = gitRepo()
    expect((await tixIn(dir, ['init'])).code).toBe(0)
    expect((await tixIn(dir, ['config', 'set', 'mail.address', 'help@example.com'])).code).toBe(0)
    const bad = await tixIn(dir, ['config', 'set', 'mail.password', 'hunter2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('mail.password')

    const raw = await buildMessage({from: 'Ana <ana@example.org>', to: 'help@example.com', subject: 'Hello \u001b[31mthere', text: 'Body', messageId: '<cli1@example.org>'})
    const ing = await tixIn(dir, ['mail', 'ingest', '--json'], {input: raw.toString('latin1')})
    expect(ing.code).toBe(0)
    const doc = ing.json()
    expect(doc).toMatchObject({schemaVersion: 1, kind: 'mail-ingest', messages: [{result: 'created', messageId: '<cli1@example.org>'}]})
    const again = await tixIn(dir, ['mail', 'ingest'], {input: raw.toString('latin1')})
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('1 already filed')

    const box = (await tixIn(dir, ['mail', 'outbox', '--json'])).json()
    expect(box).toMatchObject({schemaVersion: 1, kind: 'mail-outbox', items: [{kind: 'ack', state: 'due', to: 'ana@example.org'}]})
    const listed = await tixIn(dir, ['mail', 'outbox'])
    expect(listed.stdout).not.toContain('\u001b')
    expect(listed.stdout).toContain('\\x1b[31mthere')

    const send = await tixIn(dir, ['mail', 'send'], {env: {TIX_SMTP_URL: ''}})
    expect(send.code).toBe(2)
    expect(send.stderr).toContain('Hint:')
    expect(send.stderr).toContain('git config tix.smtp')
    const dry = (await tixIn(dir, ['mail', 'send', '--dry-run', '--json'])).json()
    expect(dry.messages[0]).toMatchObject({to: [{address: 'ana@example.org'}], inReplyTo: '<cli1@example.org>'})

    const test = await tixIn(dir, ['mail', 'test', '--json'], {env: {TIX_SMTP_URL: 'smtp://user:s3cret@127.0.0.1:1?starttls=off'}})
    expect(test.code).toBe(1)
    expect(test.stdout).not.toContain('s3cret')
    expect(test.json().checks.find((c: {server: string}) => c.server === 'smtp')).toMatchObject({ok: false})
  })
})
