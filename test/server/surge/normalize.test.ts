// Subjects to key words: case, punctuation, numbers, stop words and word forms in English and Russian.
import { describe, expect, it } from 'vitest';
import { MAX_WORD_LENGTH, MAX_WORDS, normalizeTags, stemWord, subjectKeyWords, subjectStems } from '../../../server/surge/normalize.js';

describe('subjectStems', () => {
  it('reads case, punctuation and numbers away', () => {
    expect(subjectStems('PAYMENTS FAILING at Checkout!!! (error 502)')).toEqual(['payment', 'fail', 'checkout', 'error']);
    expect(subjectStems('payment failed: checkout…')).toEqual(['payment', 'fail', 'checkout']);
  });

  it('drops English and Russian stop words and words under three letters', () => {
    expect(subjectStems('Please help, I cannot log in to my account')).toEqual(['login', 'account']);
    expect(subjectStems('Пожалуйста, помогите: у меня не проходит оплата, проблема с картой')).toEqual(['прохот', 'payment', 'карт']);
  });

  it('joins word forms: plural, -ing, -ed, -ly, a silent e', () => {
    for (const [a, b] of [
      ['payments', 'payment'],
      ['failing', 'failed'],
      ['fails', 'fail'],
      ['crashes', 'crashed'],
      ['logging', 'log'],
      ['stopped', 'stop'],
      ['updating', 'update'],
      ['replies', 'reply'],
      ['batteries', 'battery'],
      ['slowly', 'slow'],
    ] as const)
      expect(stemWord(a), `${a} / ${b}`).toBe(stemWord(b));
    // And keeps apart what only looks inflected.
    expect(stemWord('status')).toBe('status');
    expect(stemWord('access')).toBe('access');
    expect(stemWord('thing')).toBe('thing');
  });

  it('joins Russian noun, verb and adjective endings', () => {
    const groups = [
      ['оплата', 'оплаты', 'оплату', 'оплатой', 'оплате'],
      ['войти', 'войду'],
      ['ошибка', 'ошибки', 'ошибку', 'ошибкой'],
      ['приложение', 'приложения', 'приложению'],
      ['личный', 'личного', 'личном'],
      ['кабинет', 'кабинета', 'кабинете'],
      ['проходит', 'проходить'],
    ];
    for (const group of groups) {
      const stems = new Set(group.map(stemWord));
      expect(stems.size, group.join(', ')).toBe(1);
    }
    expect(stemWord('оплата')).not.toBe(stemWord('ошибка'));
  });

  it('lower-cases without the locale: a Turkish dotted I stays an i', () => {
    expect(subjectStems('LOGIN İSSUE')).toEqual(['login', 'i̇ssue']);
    expect(subjectStems('ВОЙТИ НЕ МОГУ')).toEqual(['login']);
  });

  it('reads hyphens and apostrophes inside a word as part of it, and other scripts whole', () => {
    expect(subjectStems("Wi-Fi can't connect, e-mail bounced")).toEqual(['wifi', 'connect', 'email', 'bounc']);
    expect(subjectStems('ＬＯＧＩＮ ﬁle')).toEqual(['login', 'fil']);
    expect(subjectStems('支付失败 checkout')).toEqual(['支付失败', 'checkout']);
  });

  it('removes repeats and keeps the word as written beside its stem', () => {
    expect(subjectKeyWords('Invoices, invoice, INVOICE!')).toEqual([{ stem: 'invoic', word: 'invoices' }]);
  });

  it('stays bounded whatever the subject', () => {
    const many = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`).join(' ');
    expect(subjectStems(many).length).toBe(MAX_WORDS);
    const long = subjectStems('a'.repeat(5_000));
    expect(long).toHaveLength(1);
    expect(long[0]!.length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
    expect(subjectStems('')).toEqual([]);
    expect(subjectStems('!!! 500 ??? 42')).toEqual([]);
  });
});

describe('normalizeTags', () => {
  it('trims, lower-cases and removes empties and repeats', () => {
    expect(normalizeTags([' Payments ', 'payments', '', '  ', 'SSO-Outage', 42, null])).toEqual(['payments', 'sso-outage']);
  });

  it('keeps at most ten', () => {
    expect(normalizeTags(Array.from({ length: 50 }, (_, i) => `t${i}`))).toHaveLength(10);
  });
});

describe('phrasal verbs', () => {
  it('joins "log in", "log-in" and "login" (and sign up, check out, set up) into one stem', () => {
    expect(subjectStems('Cannot log in after update')).toEqual(subjectStems('Cannot login after update'));
    expect(subjectStems('Log-in broken')).toEqual(subjectStems('login broken'));
    expect(subjectStems('Sign up form')[0]).toBe(subjectStems('signup form')[0]);
    expect(subjectStems('check out page error')[0]).toBe(subjectStems('Checkout page error')[0]);
  });
});

describe('concepts across English and Russian', () => {
  it('gives the words of one support concept one stem, in both languages', () => {
    expect(subjectStems('Не могу войти в кабинет')).toContain('login');
    expect(subjectStems('Ошибка при входе')).toEqual(expect.arrayContaining(['error', 'login']));
    expect(subjectStems('Error when logging in')).toEqual(expect.arrayContaining(['error', 'login']));
    // "Sign on" is "log on" ("single sign-on"), as "sign in" is "log in".
    expect(subjectStems('Single sign-on not working')).toEqual(['singl', 'login']);
    expect(subjectStems('Cannot sign on')).toEqual(subjectStems('Cannot logon'));
    expect(subjectStems('Оплата не проходит')[0]).toBe(subjectStems('Payment fails')[0]);
    expect(subjectStems('Приложение вылетает после обновления')).toEqual(subjectStems('App crashes after update'));
  });
});
