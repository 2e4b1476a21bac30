// Tests never rely on the machine's git configuration: a fresh CI runner has none.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const home = mkdtempSync(join(tmpdir(), 'tix-home-'))
writeFileSync(join(home, '.gitconfig'), '')
process.env.HOME = home
process.env.GIT_CONFIG_GLOBAL = join(home, '.gitconfig')
process.env.GIT_CONFIG_NOSYSTEM = '1'
process.env.GIT_AUTHOR_DATE = ''
delete process.env.GIT_DIR
delete process.env.TIX_REPO
delete process.env.TIX_NOW
delete process.env.TIX_BRANCH
process.env.TIX_ACTOR = 'Test Agent <agent@example.com>'
process.env.NO_COLOR = '1'
delete process.env.FORCE_COLOR
