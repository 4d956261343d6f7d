// The demo department: 40 engineers on three lines, each on a shift template. L1 covers the clock
// (a thin night shift), L2 the long business day with one night engineer, L3 office hours only, so
// escalations made at night wait for the morning, as they do in real departments.

export const LINES = ['l1', 'l2', 'l3'] as const;
export type Line = (typeof LINES)[number];

/** A shift in local hours from the start of the day it begins on; `end` > 24 runs past midnight. */
export interface Shift {
  start: number;
  end: number;
}

export interface RosterEntry {
  id: string;
  name: string;
  line: Line;
  shift: Shift;
}

const SHIFTS = {
  night: { start: 22, end: 31 },
  early: { start: 7, end: 16 },
  day: { start: 9, end: 18 },
  mid: { start: 11, end: 20 },
  late: { start: 14, end: 23 },
  l2early: { start: 8, end: 17 },
  l2day: { start: 10, end: 19 },
  l2late: { start: 14, end: 23 },
  l2night: { start: 23, end: 32 },
  l3day: { start: 9, end: 18 },
  l3mid: { start: 11, end: 20 },
} as const satisfies Record<string, Shift>;

type ShiftName = keyof typeof SHIFTS;

const PEOPLE: readonly (readonly [name: string, line: Line, shift: ShiftName])[] = [
  ['Anna Petrova', 'l1', 'early'],
  ['James Carter', 'l1', 'day'],
  ['Olga Smirnova', 'l1', 'night'],
  ['Emily Watson', 'l1', 'early'],
  ['Dmitry Ivanov', 'l1', 'day'],
  ['Sophie Turner', 'l1', 'mid'],
  ['Alexei Kuznetsov', 'l1', 'late'],
  ['Oliver Bennett', 'l1', 'early'],
  ['Maria Sokolova', 'l1', 'day'],
  ['Harry Collins', 'l1', 'night'],
  ['Ekaterina Volkova', 'l1', 'mid'],
  ['Jack Morgan', 'l1', 'day'],
  ['Ivan Popov', 'l1', 'mid'],
  ['Chloe Harris', 'l1', 'early'],
  ['Natalia Lebedeva', 'l1', 'late'],
  ['Thomas Wright', 'l1', 'late'],
  ['Sergei Morozov', 'l1', 'night'],
  ['Grace Mitchell', 'l1', 'early'],
  ['Yulia Novikova', 'l1', 'day'],
  ['Daniel Hughes', 'l1', 'mid'],
  ['Pavel Fedorov', 'l1', 'early'],
  ['Lucy Robinson', 'l1', 'day'],
  ['Tatiana Kozlova', 'l1', 'late'],
  ['Ryan Cooper', 'l1', 'day'],
  ['Mikhail Orlov', 'l2', 'l2early'],
  ['Hannah Price', 'l2', 'l2day'],
  ['Andrei Vasiliev', 'l2', 'l2early'],
  ['Charlotte Evans', 'l2', 'l2day'],
  ['Irina Pavlova', 'l2', 'l2late'],
  ['William Scott', 'l2', 'l2early'],
  ['Nikolai Semenov', 'l2', 'l2night'],
  ['Amelia Clarke', 'l2', 'l2day'],
  ['Svetlana Egorova', 'l2', 'l2early'],
  ['George Baker', 'l2', 'l2late'],
  ['Viktor Zaitsev', 'l2', 'l2day'],
  ['Roman Belov', 'l3', 'l3day'],
  ['Elizabeth Reed', 'l3', 'l3mid'],
  ['Konstantin Golubev', 'l3', 'l3day'],
  ['Samuel Hayes', 'l3', 'l3mid'],
  ['Elena Nikitina', 'l3', 'l3day'],
];

export const ROSTER: readonly RosterEntry[] = PEOPLE.map(([name, line, shift], index) => ({
  id: `A-${index + 1}`,
  name,
  line,
  shift: SHIFTS[shift],
}));
