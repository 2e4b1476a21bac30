import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/domain/config/config.js'
import {emptyTicket} from '../../src/domain/ticket/fold.js'
import {
  addNote,
  changeLine,
  checkAssignee,
  checkNewTicket,
  configuredAgents,
  createTicket,
  editTags,
  EMPTY_FORM,
  knownAssignees,
  parseTagEdit,
  rateTicket,
  replyTo,
  setStatus,
} from '../../src/services/queue.js'
import {showTicket} from '../../src/services/tickets.js'
import {makeDesk} from '../helpers.js'

const me = 'agent@example.com'
const config = {...DEFAULT_CONFIG}

describe('assignees', () => {
  it('reads agents from desk.json in the shapes people write', () => {
    expect(configuredAgents({...config, agents: ['Ana@Example.com', {email: 'bob@example.com', name: 'Bob'}]})).toEqual([
      {id: 'ana@example.com', label: 'Ana@Example.com'},
      {id: 'bob@example.com', label: 'Bob <bob@example.com>'},
    ])
    expect(configuredAgents({...config, agents: {'cy@example.com': {name: 'Cy'}}})).toEqual([{id: 'cy@example.com', label: 'Cy <cy@example.com>'}])
    expect(configuredAgents(config)).toEqual([])
  })

  it('offers me first, then configured agents, then who is assigned most', () => {
    const t = (assignee: string | null) => ({...emptyTicket('AAAAAAAAAA'), assignee})
    const list = knownAssignees([t('x@example.com'), t('y@example.com'), t('y@example.com'), t(null), t(me)], {...config, agents: ['z@example.com']}, me)
    expect(list.map((a) => a.id)).toEqual([me, 'z@example.com', 'y@example.com', 'x@example.com'])
  })

  it('checks a typed assignee: me, an e-mail, one of the agents when desk.json lists them', () => {
    expect(checkAssignee('me', {me, config})).toBe(me)
    expect(checkAssignee(' Bob@Example.com ', {me, config})).toBe('bob@example.com')
    expect(() => checkAssignee('bob', {me, config})).toThrow('"bob" is not an e-mail address')
    expect(() => checkAssignee('', {me, config})).toThrow('Type an e-mail address')
    expect(() => checkAssignee('Bob <bob@example.com>', {me, config})).toThrow('not an e-mail address')
    const withAgents = {...config, agents: ['ana@example.com']}
    expect(checkAssignee('ana@example.com', {me, config: withAgents})).toBe('ana@example.com')
    expect(() => checkAssignee('bob@example.com', {me, config: withAgents})).toThrow('bob@example.com is not an agent of this desk')
  })
})

describe('tags and the new-ticket form', () => {
  it('parses tag edits', () => {
    expect(parseTagEdit('vpn +hw, -Printer')).toEqual({add: ['vpn', 'hw'], remove: ['printer']})
    expect(() => parseTagEdit('  ')).toThrow('Type tags to add')
    expect(() => parseTagEdit('bad tag!')).toThrow('Tag "tag!" is not valid')
  })

  it('checks the form with the rules of tix new, field by field', () => {
    const bad = checkNewTicket({...EMPTY_FORM, title: '  ', requester: 'not <an email>', tags: 'ok bad!', assignee: 'bob'}, {me, config})
    expect(bad.input).toBeNull()
    expect(bad.errors.title).toBe('The title is empty.')
    expect(bad.errors.requester).toContain('has no valid e-mail address')
    expect(bad.errors.tags).toContain('Tag "bad!" is not valid')
    expect(bad.errors.assignee).toContain('"bob" is not an e-mail address')
    const good = checkNewTicket({...EMPTY_FORM, title: ' VPN  drops ', requester: 'Ana <ana@example.com>', tags: 'vpn, net', assignee: 'me', department: ' it '}, {me, config})
    expect(good.errors).toEqual({})
    expect(good.input).toMatchObject({title: 'VPN drops', requester: {name: 'Ana', email: 'ana@example.com'}, tags: ['vpn', 'net'], assignee: me, department: 'it'})
  })
})

describe('changes through the same rules as the CLI', () => {
  it('creates, replies, notes, tags and resolves; each says what changed', async () => {
    const {desk} = await makeDesk()
    const created = await createTicket(desk, {...EMPTY_FORM, title: 'Printer jams', priority: 'high', requester: 'bob@example.com'}, {me, config})
    const id = created.ticket.ticket.id
    await expect(createTicket(desk, {...EMPTY_FORM, title: ''}, {me, config})).rejects.toMatchObject({message: 'The title is empty.', details: {field: 'title'}})
    const r = await replyTo(desk, id, 'On it')
    const ids = (await desk.index()).ids
    expect(changeLine(r, ids)).toBe(`${id.slice(0, 5)}: public reply: On it; status new -> open.`)
    await addNote(desk, id, 'Fuser worn')
    expect(changeLine(await editTags(desk, id, 'printer'), ids)).toBe(`${id.slice(0, 5)}: tags +printer.`)
    expect(changeLine(await editTags(desk, id, 'printer'), ids)).toBe(`${id.slice(0, 5)}: nothing changed.`)
    await expect(setStatus(desk, id, 'resolved', '')).rejects.toThrow('Resolving needs a resolution')
    await setStatus(desk, id, 'resolved', 'Replaced the fuser')
    const {ticket} = await showTicket(desk, id)
    expect(ticket.ticket).toMatchObject({status: 'resolved', resolution: 'Replaced the fuser', tags: ['printer'], replyCount: 1, noteCount: 1, priority: 'high'})
  })
})

describe('rating', () => {
  it('records a rating with its comment, as tix rate does, and refuses a value it does not know', async () => {
    const {desk} = await makeDesk()
    const {ticket} = await createTicket(desk, {...EMPTY_FORM, title: 'Printer jams'}, {me: 'agent@example.com', config: DEFAULT_CONFIG})
    const id = ticket.ticket.id
    const res = await rateTicket(desk, id, 'good', 'Quick fix')
    expect(changeLine(res, [id])).toContain('good')
    expect(res.events[0]).toMatchObject({type: 'rate', rating: 'good', comment: 'Quick fix'})
    await expect(rateTicket(desk, id, 'great')).rejects.toThrow('great')
  })
})
