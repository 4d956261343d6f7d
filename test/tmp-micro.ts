import { LiveModel } from '../server/domain/live-model.js';
import { validateEvent } from '../server/domain/validate-event.js';
import { ticketEvent, iso } from './helpers/events.js';
const now = Date.now();
const events: unknown[] = [];
for (let i = 0; i < 200000; i++) {
  const t = i % 20000;
  const upd = now - 3600000 + i * 10;
  events.push(ticketEvent({ id: String(t), queue: ['l1','l2','l3'][t%3], priority: 'high', status: i % 7 === 0 ? 'solved' : 'open', createdAt: iso(now - 7200000 + t * 100), updatedAt: iso(upd), firstResponseAt: i % 3 === 0 ? iso(upd) : null, solvedAt: i % 7 === 0 ? iso(upd) : null, firstResponseDueAt: iso(now + t * 1000), resolutionDueAt: iso(now + 3600000 + t * 1000), tags: ['login','vpn'] }, { at: iso(upd) }));
}
const raw = JSON.stringify(events.slice(0, 500));
let t0 = performance.now();
for (let i = 0; i < 400; i++) JSON.parse(raw);
console.log('parse per batch ms', ((performance.now() - t0) / 400).toFixed(3), 'bytes', raw.length);
t0 = performance.now();
const validated = events.map((e) => { const r = validateEvent(e); if (!r.ok) throw new Error(r.error); return r; }); const valid = validated.map((v) => v.event);
console.log('validate per event us', ((performance.now() - t0) * 1000 / events.length).toFixed(2));
const model = new LiveModel({ atRiskMinutes: 30 });
t0 = performance.now();
for (const v of validated) model.apply(v.event, now, v.times);
console.log('apply per event us', ((performance.now() - t0) * 1000 / events.length).toFixed(2));
t0 = performance.now();
for (let i = 0; i < 100; i++) model.state(now);
console.log('state ms', ((performance.now() - t0) / 100).toFixed(3));
t0 = performance.now();
for (let i = 0; i < 400; i++) JSON.stringify(valid.slice(0, 500));
console.log('stringify per batch ms', ((performance.now() - t0) / 400).toFixed(3));
