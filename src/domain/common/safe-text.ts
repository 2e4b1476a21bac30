// Text from outside (titles, bodies, e-mails, web forms, CI logs) is data. This is the one place
// that neutralises control sequences: terminal output (src/output re-exports it), commit messages
// and authors (src/store/writer.ts) and JSON (src/output/json.ts) all go through it, so a ticket
// cannot move the cursor, retitle the window or hide text, in `tix`, in `git log tix` or in a pipe.

// ESC-introduced sequences (CSI, OSC, DCS, ...), C1 controls, and C0 controls except tab and newline.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[@-Z\\-_]|)|[\u0080-\u009F]/g
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/g
// What safeText changes (CR, ESC, other C0 controls but tab and newline, DEL, C1), and what safeLine changes (also tab and newline).
// eslint-disable-next-line no-control-regex
const NEEDS_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/
// eslint-disable-next-line no-control-regex
const NEEDS_LINE = /[\u0000-\u001F\u007F-\u009F]/

/** Multi-line text (bodies, replies): keeps newlines and tabs, makes every other control visible. */
export function safeText(s: string): string {
  if (!NEEDS_TEXT.test(s)) return s // the usual case: nothing to change, no three passes
  return s.replace(/\r\n?/g, '\n').replace(ESCAPES, (m) => visible(m)).replace(CONTROLS, (m) => visible(m))
}

/** One-line text (titles, table cells): also folds newlines and tabs into spaces. */
export function safeLine(s: string): string {
  if (!NEEDS_LINE.test(s)) return s
  return safeText(s).replace(/[\n\t]+/g, ' ')
}

const visible = (m: string) => [...m].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || (c.charCodeAt(0) >= 0x80 && c.charCodeAt(0) <= 0x9f) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('')

/** Serialised JSON with C1 controls and DEL written as \u escapes (JSON.stringify already escapes
 * C0): the document means the same, and a raw U+009B (a one-byte CSI) never reaches a terminal. */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
