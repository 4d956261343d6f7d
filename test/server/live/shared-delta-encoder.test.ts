// The live channel's delta serialised once for all connections (server/live/shared-delta-encoder.ts):
// what goes on the wire must be byte for byte what socket.io's own encoder writes for the plain
// message, and everything that is not such a delta must go the default way.
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { SharedDelta, SharedDeltaEncoder } from '../../../server/live/shared-delta-encoder.js';

const SECTIONS = [
  {},
  { totals: { open: 3, breached: 0 } },
  // Text as hostile as a ticket's: quotes, backslashes, line breaks, non-ASCII, a lone surrogate.
  { queues: [{ id: 'l1', name: 'Support "L1" \\ \n Пн 😀 \ud800', open: 1_000_000, oldestWaitMs: null }], totals: { open: 1 } },
];

const plain = (d: SharedDelta): Packet['data'] => ['delta', { seq: d.seq, at: d.at, ...(JSON.parse(d.sectionsJson) as object) }];

function decode(encoded: unknown[]): Packet {
  const decoder = new Decoder();
  let out: Packet | null = null;
  decoder.on('decoded', (packet: Packet) => {
    out = packet;
  });
  for (const part of encoded) decoder.add(part as string);
  return out!;
}

describe('the shared-delta encoder', () => {
  for (const nsp of ['/live', '/']) {
    for (const sections of SECTIONS) {
      it(`writes exactly what the default encoder writes for the plain message (${nsp}, ${Object.keys(sections).join('+') || 'no sections'})`, () => {
        const delta = new SharedDelta(42, '2026-12-03T10:00:00.250Z', JSON.stringify(sections));
        const ours = new SharedDeltaEncoder().encode({ type: PacketType.EVENT, nsp, data: ['delta', delta] });
        const theirs = new Encoder().encode({ type: PacketType.EVENT, nsp, data: plain(delta) });
        expect(ours).toEqual(theirs);
        expect(decode(ours).data).toEqual(plain(delta));
      });
    }
  }

  it('leaves every other packet to the default encoder, binary ones included', () => {
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/live', data: ['health', { ok: true }] },
      { type: PacketType.EVENT, nsp: '/live', data: ['blob', Buffer.from([1, 2, 3])] },
      { type: PacketType.CONNECT, nsp: '/live', data: { sid: 'x' } },
      // An acknowledged emit keeps its id: the default path writes it.
      { type: PacketType.EVENT, nsp: '/live', id: 7, data: ['delta', new SharedDelta(1, 'a', '{}')] },
    ];
    for (const packet of packets) expect(new SharedDeltaEncoder().encode(packet)).toEqual(new Encoder().encode(packet));
  });
});
