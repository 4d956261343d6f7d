// The wall's language as a Svelte 5 class: `?lang=` wins, else the dashboard's `lang`, else
// English. Components read `t()` in their templates, so a dashboard that arrives with `lang: "ru"`
// relabels the whole screen without a reload.
import { createContext } from 'svelte';
import { CATALOGUES, LANGS, type Lang, type MessageKey } from './messages.js';

export type Params = Record<string, string | number>;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.prototype.hasOwnProperty.call(CATALOGUES.en, value);
}

export class I18n {
  #urlLang: Lang | null;
  #dashboardLang = $state<Lang | null>(null);

  constructor(urlLang: string | null) {
    this.#urlLang = isLang(urlLang) ? urlLang : null;
  }

  get lang(): Lang {
    return this.#urlLang ?? this.#dashboardLang ?? 'en';
  }

  /** The dashboard's own `lang`, used unless the URL says `?lang=`. */
  setDashboardLang(lang: string | undefined): void {
    this.#dashboardLang = isLang(lang) ? lang : null;
  }

  t(key: MessageKey, params?: Params): string {
    const text: string = CATALOGUES[this.lang][key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  }

  /** A dashboard-supplied text: translated when it is a catalogue key, verbatim otherwise. */
  text(value: string): string {
    return isMessageKey(value) ? this.t(value) : value;
  }

  /** The default title of a metric path: `queues.l1.waiting` → "L1 · Waiting". */
  metricLabel(path: string): string {
    const parts = path.split('.');
    if (parts[0] === 'queues' && parts.length === 3) {
      const field = `metric.queues.${parts[2]}`;
      return `${queueName(parts[1]!)} · ${isMessageKey(field) ? this.t(field) : parts[2]}`;
    }
    const key = `metric.${path}`;
    return isMessageKey(key) ? this.t(key) : path;
  }

  /** Numbers with the language's grouping (1,234 / 1 234). */
  count(value: number): string {
    return numberFormat(this.lang).format(value);
  }

  units(): { s: string; m: string; h: string } {
    return { s: this.t('unit.s'), m: this.t('unit.m'), h: this.t('unit.h') };
  }

  /** How long ago, coarse: "45 s ago", "3 min ago", "2 h ago". */
  age(ms: number): string {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return this.t('age.seconds', { n: s });
    if (s < 3600) return this.t('age.minutes', { n: Math.floor(s / 60) });
    if (s < 86_400) return this.t('age.hours', { n: Math.floor(s / 3600) });
    return this.t('age.days', { n: Math.floor(s / 86_400) });
  }
}

/** Queue ids are the helpdesk's (`l1`, `vip`); they read best in capitals on a wall. */
export function queueName(id: string): string {
  return id.toUpperCase();
}

const formats = new Map<Lang, Intl.NumberFormat>();
function numberFormat(lang: Lang): Intl.NumberFormat {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    formats.set(lang, format);
  }
  return format;
}

export const [getI18n, setI18n] = createContext<I18n>();
