// A ticket subject reduced to the words that say what it is about (docs/contract.md#surge-detection),
// so that "Payments FAILING at checkout!!" and "payment failed on checkout" compare as equal. Pure
// and bounded: a subject costs at most `MAX_SCANNED` characters and yields at most `MAX_WORDS` words,
// whatever a helpdesk sends.

/** Key words kept per subject: a subject says what it is about in its first few words. */
export const MAX_WORDS = 12;
/** Longer "words" (hashes, base64, URLs glued together) are cut to this before stemming. */
export const MAX_WORD_LENGTH = 30;
/** Words shorter than this say little on their own ("to", "в", "it"). */
export const MIN_WORD_LENGTH = 3;
/** Tags kept per ticket, and their length: the same bound as the event validator's, tighter. */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 100;
// Subjects may be 1,000 characters; the key words are in the beginning, and scanning stops here.
const MAX_SCANNED = 400;

/** One key word: its stem (what is compared) and the word as written, lower-cased (what is shown). */
export interface KeyWord {
  stem: string;
  word: string;
}

/** A list written as words separated by spaces: long lists stay readable and short. */
const words = (text: string): readonly string[] => text.split(' ');

// Hand-made and short on purpose: only words that appear in subjects of every kind and so tell
// nothing about what is wrong (articles, pronouns, auxiliaries, the vocabulary of complaining).
// Checked against the word as written, before stemming, so inflected forms are listed.
const ENGLISH_STOP_WORDS = words(
  'the and for are but not you your yours our ours out all any can cant cannot could couldnt does doesnt ' +
    'did didnt dont isnt arent wasnt werent wont will would was were been being has have had hasnt havent get ' +
    'gets getting got this that these those there their they them with without from into onto about after before ' +
    'when what which who why how its his her she him mine myself we us some since still again also just very ' +
    'too more than then now today yet should shall may might must need needs please pls plz help hello thanks ' +
    'thank urgent asap issue issues problem problems unable able work works working worked broken anymore every ' +
    'each other only over under via per while whole keep keeps one two',
);
const RUSSIAN_STOP_WORDS = words(
  'не ни нет и а но или в во на с со у к ко о об от до по за из при для без под над что как так это этот ' +
    'эта эти тот там тут уже еще ещё все всё весь вся меня мне мой моя мое моё мои мы нас нам наш наша наше ' +
    'наши вы вас вам ваш ваша ваше ваши он она они оно его ее её их я ты был была было были быть есть будет ' +
    'можно нельзя могу может можем получается получилось удается удаётся пожалуйста помогите помощь проблема ' +
    'проблемы проблему проблемой вопрос срочно работает работают сегодня очень опять снова после почему когда',
);
const STOP_WORDS: ReadonlySet<string> = new Set([...ENGLISH_STOP_WORDS, ...RUSSIAN_STOP_WORDS]);

// A hyphen or apostrophe between two letters joins them: "wi-fi", "e-mail", "can't" are one word.
const JOINERS = /(?<=\p{L})[-‐‑'’](?=\p{L})/gu;
// A word is letters with their combining marks; digits, punctuation, symbols and spaces separate words.
const WORD = /\p{L}[\p{L}\p{M}]*/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /^[a-z]+$/;

/**
 * English phrasal verbs that people also write as one word ("log in", "log-in", "login"): joined, so
 * that both spellings share a stem. Only those whose parts mean nothing alone in a support subject.
 */
const PHRASAL = /\b(log|sign|check|set)[\s-]+(in|on|out|up)\b/g;
/** "logging in", "signing in": the -ing forms of the same, joined to the base word. */
const PHRASAL_ING = /\b(logg|sign)ing[\s-]+(in|on)\b/g;

/**
 * One stem per support concept across English and Russian (and the English synonyms people use
 * for it), so that "Не могу войти" and "Cannot log in", or "Оплата не проходит" and "Payment
 * fails", share a word. General support vocabulary, not any one product's: these are the words
 * tickets about the same breakage keep using in both languages.
 */
const CONCEPTS = new Map<string, string>([
  ...['login', 'signin', 'logon', 'signon', 'вхот', 'войт', 'авторизац'].map((stem) => [stem, 'login'] as const),
  ...['payment', 'pay', 'оплат', 'платеш'].map((stem) => [stem, 'payment'] as const),
  ...['email', 'mail', 'письм', 'почт'].map((stem) => [stem, 'email'] as const),
  ...['notification', 'уведомлен'].map((stem) => [stem, 'notification'] as const),
  ...['crash', 'вылета', 'пада'].map((stem) => [stem, 'crash'] as const),
  ...['app', 'application', 'приложен'].map((stem) => [stem, 'app'] as const),
  ...['export', 'экспорт', 'выгрузк', 'выгружа'].map((stem) => [stem, 'export'] as const),
  ...['timeout', 'таймаут'].map((stem) => [stem, 'timeout'] as const),
  ...['updat', 'upgrad', 'releas', 'обновлен', 'релис'].map((stem) => [stem, 'updat'] as const),
  ...['error', 'ошибк'].map((stem) => [stem, 'error'] as const),
  ...['deliver', 'доставля', 'доставк'].map((stem) => [stem, 'deliver'] as const),
  ...['invoic', 'счет'].map((stem) => [stem, 'invoic'] as const),
]);

/**
 * The key words of a subject, in order of appearance, without repeats (by stem). Lower case by the
 * locale-independent mapping (`toLowerCase`, never `toLocaleLowerCase`: a Turkish server must not
 * turn "LOGIN" into "logın"); NFKC so full-width and ligature letters read as the plain ones.
 */
export function subjectKeyWords(subject: string): KeyWord[] {
  const text = subject
    .slice(0, MAX_SCANNED)
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(JOINERS, '')
    .replace(PHRASAL_ING, (_, base: string) => (base === 'logg' ? 'login' : 'signin'))
    .replace(PHRASAL, '$1$2');
  const words: KeyWord[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const word = match[0].slice(0, MAX_WORD_LENGTH);
    if (word.length < MIN_WORD_LENGTH || STOP_WORDS.has(word)) continue;
    const own = stemWord(word);
    const stem = CONCEPTS.get(own) ?? own;
    if (stem.length < MIN_WORD_LENGTH || seen.has(stem)) continue;
    seen.add(stem);
    words.push({ stem, word });
    if (words.length === MAX_WORDS) break;
  }
  return words;
}

/** The stems alone. */
export function subjectStems(subject: string): string[] {
  return subjectKeyWords(subject).map((w) => w.stem);
}

/** Tags as compared: trimmed, lower case, without empties and repeats, at most `MAX_TAGS`. */
export function normalizeTags(tags: readonly unknown[]): string[] {
  const result: string[] = [];
  for (const tag of tags) {
    if (typeof tag !== 'string') continue;
    const clean = tag.normalize('NFKC').trim().toLowerCase();
    if (clean === '' || clean.length > MAX_TAG_LENGTH || result.includes(clean)) continue;
    result.push(clean);
    if (result.length === MAX_TAGS) break;
  }
  return result;
}

/** A lower-case word's stem: English and Russian have their own; other scripts are kept whole. */
export function stemWord(word: string): string {
  if (LATIN.test(word)) return stemEnglish(word);
  if (CYRILLIC.test(word)) return stemRussian(word);
  return word;
}

// ---- English: a light suffix stripper, enough to join plural, -ing, -ed and -ly forms ----

const EN_VOWEL = /[aeiouy]/;
// A doubled final consonant left by -ing/-ed ("stopped", "logging") is undoubled; l, s, z and f
// stay doubled in the base word too ("install", "pass", "buzz", "staff").
const UNDOUBLE = /([bdgkmnprt])\1$/;

export function stemEnglish(word: string): string {
  let stem = word;
  const strip = (suffix: string, replacement = '', minBase = 3): boolean => {
    if (!stem.endsWith(suffix)) return false;
    const base = stem.slice(0, -suffix.length);
    // The base must stay a word: three letters with a vowel ("thing", "need", "bus" stay whole).
    if (base.length + replacement.length < minBase || !EN_VOWEL.test(base)) return false;
    stem = base + replacement;
    return true;
  };
  if (strip('ies', 'y') || strip('ied', 'y')) return stem;
  if (stem.endsWith('eed')) return stem;
  if (strip('ing') || strip('ed')) {
    if (UNDOUBLE.test(stem)) stem = stem.slice(0, -1);
  } else if (/(?:ss|sh|ch|x|z)es$/.test(stem)) {
    strip('es');
  } else if (!/(?:ss|us|is)$/.test(stem)) {
    // "-ly" wants a longer base: "reply" and "apply" are not adverbs.
    strip('s') || strip('ly', '', 4);
  }
  // A silent final e, so "update", "updated" and "updating" share "updat".
  if (stem.length > 3 && stem.endsWith('e') && !stem.endsWith('ee')) stem = stem.slice(0, -1);
  return stem;
}

// ---- Russian: the Snowball stemmer's steps, lightly ----

const RU_VOWELS = 'аеиоуыэюя';
const PERFECTIVE_GERUND_1 = ['вшись', 'вши', 'в'];
const PERFECTIVE_GERUND_2 = ['ившись', 'ывшись', 'ивши', 'ывши', 'ив', 'ыв'];
const REFLEXIVE = ['ся', 'сь'];
const ADJECTIVE = words('ими ыми его ого ему ому ее ие ые ое ей ий ый ой ем им ым ом их ых ую юю ая яя ою ею');
const PARTICIPLE_1 = ['ем', 'нн', 'вш', 'ющ', 'щ'];
const PARTICIPLE_2 = ['ивш', 'ывш', 'ующ'];
const VERB_1 = ['ете', 'йте', 'ешь', 'нно', 'ла', 'на', 'ли', 'ем', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'й', 'л', 'н'];
const VERB_2 = words('ейте уйте ила ыла ена ите или ыли ило ыло ено ует уют ены ить ыть ишь ей уй ил ыл им ым ен ят ит ыт ую ' + 'ю');
const NOUN = words('иями ями ами ией иям ием иях ев ов ие ье еи ии ей ой ий ям ем ам ом ах ях ию ью ия ья а е и й о у ы ь ' + 'ю я');
const SUPERLATIVE = ['ейше', 'ейш'];
const DERIVATIONAL = ['ость', 'ост'];
// Final devoicing, as Russian is spoken: a stem ends in the voiceless partner of a voiced
// consonant, so "войд-у" and "вой-ти" → "войт", "код" and "кода" agree. It merges a few pairs
// ("код"/"кот"), which subjects about the same outage do not tell apart anyway.
const DEVOICE = new Map([
  ['б', 'п'],
  ['в', 'ф'],
  ['г', 'к'],
  ['д', 'т'],
  ['ж', 'ш'],
  ['з', 'с'],
]);

/** The ending among `endings` (longest listed first) that `word` has at or after `from`, or ''. */
function endingIn(word: string, from: number, endings: readonly string[], after?: string): string {
  for (const ending of endings) {
    const start = word.length - ending.length;
    if (start < from || !word.endsWith(ending)) continue;
    // Group-1 endings count only after "а" or "я", which stays.
    if (after !== undefined && !after.includes(word[start - 1] ?? '')) continue;
    return ending;
  }
  return '';
}

function removeEnding(word: string, from: number, group1: readonly string[], group2: readonly string[]): string | null {
  const ending = endingIn(word, from, group2) || endingIn(word, from + 1, group1, 'ая');
  return ending === '' ? null : word.slice(0, -ending.length);
}

/** After the first vowel that follows a consonant, starting at `from` (Snowball's R1, R2). */
function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i += 1) if (RU_VOWELS.includes(word[i - 1]!) && !RU_VOWELS.includes(word[i]!)) return i + 1;
  return word.length;
}

export function stemRussian(input: string): string {
  let rv = 0;
  while (rv < input.length && !RU_VOWELS.includes(input[rv]!)) rv += 1;
  rv += 1;
  if (rv >= input.length) return devoice(input);
  let word = input;
  // Step 1: a perfective gerund; else reflexive, then an adjectival, verb or noun ending.
  const gerund = removeEnding(word, rv, PERFECTIVE_GERUND_1, PERFECTIVE_GERUND_2);
  if (gerund !== null) word = gerund;
  else {
    const reflexive = endingIn(word, rv, REFLEXIVE);
    if (reflexive !== '') word = word.slice(0, -reflexive.length);
    const adjective = endingIn(word, rv, ADJECTIVE);
    if (adjective !== '') {
      word = word.slice(0, -adjective.length);
      word = removeEnding(word, rv, PARTICIPLE_1, PARTICIPLE_2) ?? word;
    } else {
      const verb = removeEnding(word, rv, VERB_1, VERB_2);
      if (verb !== null) word = verb;
      else {
        const noun = endingIn(word, rv, NOUN);
        if (noun !== '') word = word.slice(0, -noun.length);
      }
    }
  }
  // Step 2: a final "и".
  if (word.length > rv && word.endsWith('и')) word = word.slice(0, -1);
  // Step 3: a derivational ending, in R2.
  const r2 = regionAfter(word, regionAfter(word, 0));
  const derivational = endingIn(word, r2, DERIVATIONAL);
  if (derivational !== '') word = word.slice(0, -derivational.length);
  // Step 4: undouble "нн", a superlative, or a soft sign.
  const superlative = endingIn(word, rv, SUPERLATIVE);
  if (superlative !== '') word = word.slice(0, -superlative.length);
  if (word.endsWith('нн') && word.length - 1 > rv) word = word.slice(0, -1);
  else if (word.endsWith('ь') && word.length > rv) word = word.slice(0, -1);
  return devoice(word);
}

function devoice(word: string): string {
  const last = DEVOICE.get(word.at(-1) ?? '');
  return last === undefined ? word : word.slice(0, -1) + last;
}
