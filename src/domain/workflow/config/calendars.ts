// desk.json `calendars`: business hours by name (working hours per weekday, holidays, a zone).
import {compileCalendar, type CalendarSpec} from '../../sla/calendar.js'
import {isValidTimeZone} from '../../config/core.js'
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'

export const calendarsSection: DeskSection = {
  keys: ['calendars'],
  compile(config, problems, {workflow: wf}) {
    if (config.calendars === undefined) return
    if (!isObj(config.calendars)) {
      problems.push({path: 'calendars', message: 'expected an object: {"office": {"hours": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-12-24"]}}'})
      return
    }
    for (const [name, spec] of Object.entries(config.calendars)) {
      const p = `calendars.${name}`
      if (!isObj(spec) || !isObj(spec.hours)) {
        problems.push({path: `${p}.hours`, message: 'expected working hours per weekday, e.g. {"mon-fri": "09:00-17:00"}'})
        continue
      }
      if (spec.holidays !== undefined && !Array.isArray(spec.holidays)) {
        problems.push({path: `${p}.holidays`, message: 'expected a list of dates (YYYY-MM-DD)'})
        continue
      }
      let tz = wf.zone
      if (spec.timezone !== undefined) {
        if (typeof spec.timezone === 'string' && isValidTimeZone(spec.timezone)) tz = spec.timezone
        else problems.push({path: `${p}.timezone`, message: 'expected an IANA time zone such as "Europe/Berlin"'})
      }
      try {
        wf.calendars.set(name, compileCalendar(spec as unknown as CalendarSpec, tz, p))
      } catch (error) {
        const m = /^(.+?): (.*?)\.?$/.exec((error as Error).message)
        problems.push(m ? {path: m[1]!, message: m[2]!} : {path: p, message: (error as Error).message})
      }
    }
  },
}

export function calendarsSchema(): SectionSchema {
  return {
    calendars: {
      type: 'object',
      description: 'Business calendars by name: working hours per weekday and holidays.',
      additionalProperties: {
        type: 'object',
        required: ['hours'],
        additionalProperties: false,
        properties: {
          hours: {
            type: 'object',
            description: 'Days ("mon-fri", "sat", "daily") -> a range "09:00-17:00" or a list of ranges.',
            additionalProperties: {
              anyOf: [
                {type: 'string', pattern: '^\\d{1,2}:\\d{2}\\s*-\\s*\\d{1,2}:\\d{2}$'},
                {type: 'array', items: {type: 'string', pattern: '^\\d{1,2}:\\d{2}\\s*-\\s*\\d{1,2}:\\d{2}$'}},
              ],
            },
          },
          holidays: {type: 'array', items: {type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$'}, description: 'Local dates with no working hours.'},
          timezone: {type: 'string', description: 'Time zone of this calendar (default: the desk\'s).'},
        },
      },
    },
  }
}
