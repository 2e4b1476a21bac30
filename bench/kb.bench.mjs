// Knowledge-base speed, behind a flag: `npm run bench -- --kb` (bench/run.mjs calls run(ctx)).
//   - `tix kb search` and `tix kb suggest` over 2,000 articles (500 topics in en, ar, fa, ru), warm
//     index: <= 2x `node -e 0`;
//   - what the suggestions add to `tix new` on a terminal (util-linux `script` gives it one): the
//     median of `tix new` on the desk with 2,000 articles minus the same on a desk without any,
//     <= 30 ms.
// On its own (no 1k/10k ticket desks generated): `node bench/kb.bench.mjs --kb` after `npm run build`.
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

const ARTICLES = 2000
const LANGS = ['en', 'ar', 'fa', 'ru']
// Words of help-desk articles per language; each synthetic article draws a title and ~120 words.
const WORDS = {
  en: 'printer paper jam queue restart password reset account locked portal code phone vpn client connection drops protocol invoice billing download address email mailbox server phone wireless guest network voucher laptop slow disk updates browser tabs authenticator security shared drive folder access owner manager microphone speakers meeting sound settings headset driver install update license software request approval backup restore files deleted calendar invite room booking badge door keyboard mouse monitor cable dock charger battery screen'.split(' '),
  ar: 'الطابعة الورق انحشار قائمة إعادة تشغيل كلمة المرور الحساب مقفل البوابة الرمز الهاتف الاتصال الشبكة البروتوكول الفاتورة الفوترة تنزيل العنوان البريد الخادم اللاسلكية الضيوف القسيمة الحاسوب بطيء القرص التحديثات المتصفح المصادقة الأمان المجلد المشترك الوصول المالك المدير الميكروفون السماعات الاجتماع الصوت الإعدادات التعريف تثبيت تحديث الترخيص البرنامج طلب موافقة النسخ الاحتياطي استعادة الملفات التقويم دعوة القاعة حجز البطاقة الباب لوحة المفاتيح الفأرة الشاشة الكابل الشاحن البطارية'.split(' '),
  fa: 'چاپگر کاغذ گیر صف راه‌اندازی رمز عبور حساب قفل درگاه کد تلفن اتصال شبکه پروتکل صورتحساب پرداخت دریافت نشانی ایمیل سرور بی‌سیم مهمان برگه لپ‌تاپ کند دیسک به‌روزرسانی مرورگر زبانه احراز هویت امنیت پوشه اشتراکی دسترسی مدیر میکروفون بلندگو جلسه صدا تنظیمات هدست نصب مجوز نرم‌افزار درخواست تأیید پشتیبان بازیابی پرونده تقویم دعوت اتاق رزرو کارت در صفحه‌کلید موس نمایشگر کابل شارژر باتری'.split(' '),
  ru: 'принтер бумага замятие очередь перезапуск пароль сброс учётная запись заблокирована портал код телефон соединение обрывается протокол счёт оплата скачать адрес почта сервер беспроводная гостевая сеть талон ноутбук тормозит диск обновления браузер вкладки аутентификатор безопасность общая папка доступ владелец руководитель микрофон динамики встреча звук настройки гарнитура драйвер установка лицензия программа заявка одобрение резервная копия восстановление файлы календарь приглашение переговорная бронирование пропуск дверь клавиатура мышь монитор кабель зарядка батарея'.split(' '),
}

let seed = 42
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const pick = (lang, n) => Array.from({length: n}, () => WORDS[lang][rnd(WORDS[lang].length)]).join(' ')

function git(cwd, ...args) {
  const r = spawnSync('git', args, {cwd, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com'}})
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** A desk with `articles` articles (a quarter per language) committed on the tix branch in one commit. */
function makeDesk(ctx, articles) {
  const dir = mkdtempSync(join(tmpdir(), 'tix-kb-bench-'))
  git(dir, 'init', '-q', '-b', 'main')
  const init = ctx.tix(['init'], dir)
  if (init.code !== 0) throw new Error(`tix init: ${init.stderr}`)
  if (articles > 0) {
    const wt = join(dir, '.kbwt')
    git(dir, 'worktree', 'add', '-q', wt, 'tix')
    for (let i = 0; i < articles; i++) {
      const lang = LANGS[i % 4]
      const slug = `topic-${Math.floor(i / 4)}`
      mkdirSync(join(wt, 'kb', slug), {recursive: true})
      const title = pick(lang, 4)
      const body = `${pick(lang, 40)}.\n\n${pick(lang, 40)}.\n\n${pick(lang, 40)}.\n`
      writeFileSync(join(wt, 'kb', slug, `${lang}.md`), `---\ntitle: ${JSON.stringify(title)}\ntags: [${JSON.stringify(pick(lang, 1))}]\nstatus: "published"\n${lang === 'en' ? '' : 'source: "en"\n'}---\n${body}`)
    }
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', `kb: ${articles} articles`)
    git(dir, 'worktree', 'remove', '--force', wt)
  }
  return dir
}

/** Median wall time of `tix new` in a pseudo-terminal (so that suggestions are printed). */
function newOnTerminal(ctx, dir, runs) {
  const cmd = `${ctx.node} ${ctx.bin} new "VPN connection drops every few minutes" --body "the vpn client loses the connection, protocol settings did not help" --channel email`
  const times = []
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now()
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {cwd: dir, env: {...ctx.env, TERM: 'xterm-256color'}, encoding: 'utf8'})
    const ms = performance.now() - t0
    if (r.status !== 0) throw new Error(`tix new on a terminal failed: ${r.stdout}${r.stderr}`)
    if (i > 0) times.push(ms) // the first run warms the caches
  }
  times.sort((a, b) => a - b)
  return times[times.length >> 1]
}

export async function run(ctx) {
  if (!ctx.flag('--kb')) return []
  const rows = []
  const withKb = makeDesk(ctx, ARTICLES)
  const without = makeDesk(ctx, 0)
  try {
    const warm = ctx.tix(['kb', 'search', 'printer'], withKb)
    if (warm.code !== 0) throw new Error(`tix kb search: ${warm.stderr}`)
    const made = ctx.tix(['new', 'Printer paper jam', '--body', 'the printer shows a paper jam and the queue is stuck', '--json'], withKb)
    const id = JSON.parse(made.stdout).ticket.shortId
    ctx.tix(['kb', 'suggest', id], withKb) // the index follows the ticket's commit (kb/ tree unchanged)
    rows.push(ctx.ratio(`tix kb search (${ARTICLES.toLocaleString('en')} articles, warm)`, ['kb', 'search', 'vpn connection drops'], withKb, 2))
    rows.push(ctx.ratio(`tix kb search --lang ru (${ARTICLES.toLocaleString('en')} articles, warm)`, ['kb', 'search', 'принтер замятие бумаги', '--lang', 'ru'], withKb, 2))
    rows.push(ctx.ratio(`tix kb suggest (${ARTICLES.toLocaleString('en')} articles, warm)`, ['kb', 'suggest', id], withKb, 2))
    if (spawnSync('script', ['--version']).status === 0) {
      const runs = Math.max(5, Math.min(ctx.runs ?? 9, 11))
      const a = newOnTerminal(ctx, withKb, runs)
      const b = newOnTerminal(ctx, without, runs)
      rows.push({name: `tix new on a terminal: suggestions add (${ARTICLES.toLocaleString('en')} articles)`, value: a - b, unit: 'ms', budget: 30, pass: a - b <= 30, detail: `${a.toFixed(0)} vs ${b.toFixed(0)} ms without articles`})
    } else {
      rows.push({name: 'tix new on a terminal: suggestions add', value: NaN, unit: 'ms', budget: null, pass: true, detail: 'skipped: util-linux `script` is not installed'})
    }
  } finally {
    rmSync(withKb, {recursive: true, force: true})
    rmSync(without, {recursive: true, force: true})
  }
  return rows
}

// Standalone: the same figures without bench/run.mjs (which first generates its ticket desks).
if (import.meta.url === `file://${process.argv[1]}`) {
  const {dirname} = await import('node:path')
  const {fileURLToPath} = await import('node:url')
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const bin = join(root, 'bin', 'run.js')
  const node = process.execPath
  const home = mkdtempSync(join(tmpdir(), 'tix-kb-bench-home-'))
  writeFileSync(join(home, 'gitconfig'), '')
  const env = {...process.env, TIX_ACTOR: 'Bench Agent <bench@example.com>', NO_COLOR: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'FORCE_COLOR']) delete env[k]
  const runs = 9
  const timed = (argv, cwd) => {
    const t0 = performance.now()
    spawnSync(node, argv, {cwd, env, stdio: 'ignore'})
    return performance.now() - t0
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  const ctx = {
    node,
    bin,
    env,
    runs,
    flag: (name) => name === '--kb' || process.argv.includes(name),
    tix: (argv, cwd) => {
      const r = spawnSync(node, [bin, ...argv], {cwd, env, encoding: 'utf8'})
      return {code: r.status, stdout: r.stdout, stderr: r.stderr}
    },
    ratio: (name, argv, cwd, budget) => {
      timed(['-e', '0'], cwd)
      timed([bin, ...argv], cwd)
      const base = []
      const cmd = []
      for (let i = 0; i < runs; i++) {
        base.push(timed(['-e', '0'], cwd))
        cmd.push(timed([bin, ...argv], cwd))
      }
      const ratio = median(cmd) / median(base)
      return {name, value: ratio, unit: 'x', budget, pass: ratio <= budget, detail: `${median(cmd).toFixed(0)} ms vs node -e 0 ${median(base).toFixed(0)} ms`}
    },
  }
  for (const r of await run(ctx)) process.stdout.write(`${r.name.padEnd(62)} ${r.unit === 'x' ? r.value.toFixed(2) + 'x' : r.value.toFixed(1) + ' ms'}  (budget ${r.budget ?? '-'}${r.unit === 'x' ? 'x' : ' ms'}; ${r.pass ? 'PASS' : 'FAIL'})  ${r.detail ?? ''}\n`)
  rmSync(home, {recursive: true, force: true})
}
