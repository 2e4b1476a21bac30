// Text normalisation for the knowledge base's full-text index, pure (no IO): the same function runs
// on articles when they are indexed and on queries, so both sides meet in one form.
//
// - Arabic and Persian: harakat (short vowels, shadda, sukun, superscript alef) and tatweel removed;
//   alef forms (أ إ آ ٱ) -> ا; ya and alef maqsura (ي ى ی) -> ي; kaf (ك ک) -> ك; teh marbuta ة -> ه;
//   hamza seats ؤ -> و, ئ -> ي; ZWNJ removed (Persian "می‌خواهم" and "میخواهم" are one word);
//   Persian and Arabic-Indic digits -> ASCII. Persian typed on an Arabic keyboard then matches.
// - Russian: ё -> е. Russian and English words are stemmed (snowball), so endings do not matter.
// - Everything: Unicode NFKC, lower case, split on anything that is not a letter, mark or digit.

export type Stem = (word: string) => string

/** The stemmers the analyser may use, by script; each is optional (the caller loads them). */
export interface Stemmers {
  english?: Stem
  russian?: Stem
}

const HARAKAT = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g // marks, superscript alef, Quranic marks, tatweel
const ALEF = /[\u0622\u0623\u0625\u0671\u0672\u0673]/g
const YA = /[\u0649\u06CC\u06D0\u0626]/g
const KAF = /[\u06A9\u06AA]/g
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g

/** Unifies letter forms and digits; does not split or stem. Safe on any text. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u200C/g, '') // ZWNJ
    .replace(/[\u200D\u200E\u200F\u061C\uFEFF]/g, '') // ZWJ, direction marks, BOM
    .replace(HARAKAT, '')
    .replace(ALEF, '\u0627')
    .replace(YA, '\u064A')
    .replace(KAF, '\u0643')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0624/g, '\u0648')
    .replace(DIGITS, (d) => String((d.charCodeAt(0) & 0xf) % 10))
    .replace(/ё/g, 'е')
}

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)?/gu

/** Words of normalised text, in order (apostrophes inside English words kept: "don't"). */
export function words(text: string): string[] {
  return normalizeText(text).match(WORD) ?? []
}

export type Script = 'latin' | 'cyrillic' | 'arabic' | 'other'

export function scriptOf(word: string): Script {
  const c = word.codePointAt(0) ?? 0
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) return 'latin'
  if (c >= 0x400 && c <= 0x52f) return 'cyrillic'
  if (c >= 0x600 && c <= 0x6ff) return 'arabic'
  return 'other'
}

/** Arabic prefixes (the article with conjunctions and prepositions) and suffixes (plurals, pronouns), after normalisation. */
const AR_PREFIXES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال']
const AR_SUFFIXES = ['هما', 'كما', 'ات', 'ون', 'ين', 'ان', 'ها', 'هم', 'يه', 'ه', 'ي']

/**
 * A light Arabic stemmer (in the manner of Larkey's light10): the article and its prepositions in
 * front, plural and pronoun endings behind, while at least three letters remain. Snowball's Arabic
 * stemmer was tried and conflated too little on normalised text (طابعات -> طابعا).
 */
export function arabicLightStem(w: string): string {
  let s = w
  for (const p of AR_PREFIXES) {
    if (s.startsWith(p) && [...s].length - p.length >= 2) {
      s = s.slice(p.length)
      break
    }
  }
  if (s.startsWith('و') && [...s].length >= 4) s = s.slice(1)
  for (const x of AR_SUFFIXES) {
    if (s.endsWith(x) && [...s].length - x.length >= 3) {
      s = s.slice(0, -x.length)
      break
    }
  }
  return s
}

/**
 * One index term for one word. `lang` is the language of the text (of the article, or of the
 * query when the user gave --lang); Arabic-script words are stemmed only for Arabic text, since
 * the Arabic stemmer would mangle Persian words.
 */
export function termOf(word: string, lang: string | null, stemmers: Stemmers): string {
  const w = word.replace(/['’]s$/, '').replace(/['’]/g, '')
  switch (scriptOf(w)) {
    case 'latin':
      return w.length > 2 && stemmers.english ? stemmers.english(w) : w
    case 'cyrillic':
      return w.length > 2 && stemmers.russian ? stemmers.russian(w) : w
    case 'arabic':
      return lang === 'ar' ? arabicLightStem(w) : w
    default:
      return w
  }
}

/**
 * Words too common to say anything about what a text is about, per script (after normalisation):
 * left out of the index and of queries, so "the" never explains a match.
 */
const STOP = new Set(
  [
    // English
    'the a an and or of to in on at for with from by is are was were be been it its this that these those i you he she we they my your our their me us them not no do does did have has had will would can could should if then than so but as about into over after before up down out just also there here what which who when where why how all any some very please thanks thank hi hello',
    // Russian (ё already е)
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между здравствуйте спасибо пожалуйста',
    // Arabic (normalised: ي for ya, ا for alef forms, ه for teh marbuta)
    'في من على الي الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم انا انت نحن كان كانت يكون ما ماذا لا لم لن قد ثم او و ف ب ل ك كل بعض اي ان انه بين عند حتي حتى لكن اذا هل مرحبا شكرا من فضلك',
    // Persian (normalised: ي, ك)
    'و در به از كه را با اين آن ان براي تا هم يا اما اگر هر چه چون نيز بر ما من تو او شما آنها ايشان است هست بود شد شده كرد كند كنيد مي نمي سلام ممنون لطفا',
  ]
    .join(' ')
    .split(/\s+/)
    .map((w) => normalizeText(w)),
)


/** Index terms of a text in a language: normalised, split, stemmed. Words of one letter are dropped. */
export function analyze(text: string, lang: string | null, stemmers: Stemmers): string[] {
  const out: string[] = []
  for (const w of words(text)) {
    if (([...w].length < 2 && !/\d/.test(w)) || STOP.has(w)) continue
    out.push(termOf(w, lang, stemmers))
  }
  return out
}

/**
 * The terms of a query with where each came from, so results can say which of the user's words
 * matched. Without a language, an Arabic-script word gives both its Arabic stem and its plain
 * form (it may be Persian).
 */
export function queryTerms(text: string, lang: string | null, stemmers: Stemmers): Map<string, string> {
  const out = new Map<string, string>()
  for (const w of words(text)) {
    if (([...w].length < 2 && !/\d/.test(w)) || STOP.has(w)) continue
    const langs: (string | null)[] = lang === null && scriptOf(w) === 'arabic' ? ['ar', 'fa'] : [lang]
    for (const l of langs) {
      const t = termOf(w, l, stemmers)
      if (!out.has(t)) out.set(t, w)
    }
  }
  return out
}
