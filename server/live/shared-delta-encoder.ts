// socket.io's packet encoder, taught one shortcut. A slot's delta is the same for nearly every
// connection but for its `seq`, and socket.io serialises each emit on its own: for 1,000 walls
// that was 1,000 JSON.stringify calls (and as many walks looking for binary parts) of the same
// ~2 kB of sections, most of a broadcast's time. A SharedDelta carries its sections already
// serialised; the encoder splices the seq in front. Everything else goes the default way, and the
// wire format is socket.io's own, so clients decode it with the default parser.
import { Decoder, Encoder, PacketType, protocol, type Packet } from 'socket.io-parser';

/** A delta message whose sections were serialised once, for every connection that gets them all. */
export class SharedDelta {
  constructor(
    readonly seq: number,
    readonly at: string,
    /** JSON.stringify of the sections object (an object: `{…}`). */
    readonly sectionsJson: string,
  ) {}

  /** The plain message, for any path that serialises it the ordinary way. */
  toJSON(): Record<string, unknown> {
    return { seq: this.seq, at: this.at, ...(JSON.parse(this.sectionsJson) as Record<string, unknown>) };
  }
}

/** The message text of a SharedDelta: what JSON.stringify of the plain message gives, key order and all. */
export function sharedDeltaJson(delta: SharedDelta): string {
  const head = `{"seq":${delta.seq},"at":${JSON.stringify(delta.at)}`;
  return delta.sectionsJson === '{}' ? `${head}}` : `${head},${delta.sectionsJson.slice(1)}`;
}

export class SharedDeltaEncoder extends Encoder {
  override encode(packet: Packet): unknown[] {
    const data = packet.data as unknown[] | undefined;
    if (packet.type === PacketType.EVENT && packet.id === undefined && data?.length === 2 && data[1] instanceof SharedDelta) {
      const nsp = packet.nsp === '/' ? '' : `${packet.nsp},`;
      return [`${PacketType.EVENT}${nsp}[${JSON.stringify(data[0])},${sharedDeltaJson(data[1])}]`];
    }
    return super.encode(packet);
  }
}

/** The `parser` option of socket.io's Server: the default one with the encoder above. */
export const sharedDeltaParser = { protocol, Encoder: SharedDeltaEncoder, Decoder };
