// desk.json `web`: the web portal (`tix serve`) and the links other parts of tix make to it.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'

export const webSection: DeskSection = {
  keys: ['web'],
  compile(config, problems) {
    const web = config.web
    if (web === undefined) return
    if (!isObj(web)) {
      problems.push({path: 'web', message: 'expected an object: {"baseUrl": "https://help.example.com"}'})
      return
    }
    for (const k of Object.keys(web)) if (k !== 'baseUrl') problems.push({path: `web.${k}`, message: 'unknown key: expected baseUrl'})
    if (web.baseUrl !== undefined) {
      let ok = typeof web.baseUrl === 'string'
      if (ok) {
        try {
          const u = new URL(web.baseUrl as string)
          ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && u.username === '' && u.password === ''
        } catch {
          ok = false
        }
      }
      if (!ok) problems.push({path: 'web.baseUrl', message: 'expected the portal\'s public address, e.g. "https://help.example.com" (http or https, no query)'})
    }
  },
}

export function webSchema(): SectionSchema {
  return {
    web: {
      type: 'object',
      additionalProperties: false,
      description: 'The web portal (tix serve).',
      properties: {
        baseUrl: {
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
          description: 'The portal\'s public address; links in mails and knowledge-base articles start with it, e.g. https://help.example.com',
        },
      },
    },
  }
}
