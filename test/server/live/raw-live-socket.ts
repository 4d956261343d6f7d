// A hostile `/live` client written by hand over a bare TCP connection: the websocket handshake,
// then engine.io / socket.io packets as masked text frames. It reads only until it has joined
// `/live`, then stops reading for good (the kernel's buffers fill up behind it) while it can still
// write as much as it likes in one go, e.g. 20,000 `watch-agents` in a single write.
import crypto from 'node:crypto';
import net from 'node:net';

/** One client→server websocket text frame (clients must mask, RFC 6455 §5.3). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  if (length > 0xffff) throw new Error('frames over 64 KB are not needed here');
  const mask = crypto.randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

/** Unmasked server→client frames in `buffer`: the texts of the complete ones and what is left over. */
function readFrames(buffer: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    let length = buffer[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      start = offset + 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      start = offset + 10;
    }
    if (buffer.length < start + length) break;
    texts.push(buffer.subarray(start, start + length).toString('utf8'));
    offset = start + length;
  }
  return { texts, rest: buffer.subarray(offset) };
}

/** `count` copies of one frame, built once: a flood costs the sender nothing while it is measured. */
export function repeatedFrames(text: string, count: number): Buffer {
  const frame = maskedTextFrame(text);
  const flood = Buffer.alloc(frame.length * count);
  for (let i = 0; i < count; i++) frame.copy(flood, i * frame.length);
  return flood;
}

export interface RawLiveSocket {
  /** Writes these texts as frames, all in one write; errors after the server cut us are expected. */
  send(texts: readonly string[]): void;
  /** Writes frames built beforehand (see `repeatedFrames`) in one write. */
  write(frames: Buffer): void;
  /** True once the server ended or reset the connection, as far as a writer can tell. */
  readonly closed: boolean;
  destroy(): void;
}

/**
 * Connects, joins `/live` with `token`, and stops reading once the join is acknowledged; what the
 * server sends after that (the whole state, …) stays unread.
 */
export function connectNonReading(baseUrl: string, token: string, timeoutMs = 5_000): Promise<RawLiveSocket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  let closed = false;
  socket.on('error', () => (closed = true));
  socket.on('close', () => (closed = true));
  const handle: RawLiveSocket = {
    send(texts) {
      if (closed) return;
      socket.write(Buffer.concat(texts.map(maskedTextFrame)), () => {});
    },
    write(frames) {
      if (!closed) socket.write(frames, () => {});
    },
    get closed() {
      return closed;
    },
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no /live join within ${timeoutMs} ms`));
    }, timeoutMs);
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on('connect', () => {
      const key = crypto.randomBytes(16).toString('base64');
      socket.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`no websocket upgrade: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        pending = pending.subarray(end + 4);
      }
      const { texts, rest } = readFrames(pending);
      pending = rest;
      for (const text of texts) {
        if (text.startsWith('0{')) handle.send([`40/live,${JSON.stringify({ token })}`]);
        else if (text.startsWith('44/live,')) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`/live refused the join: ${text}`));
          return;
        } else if (text.startsWith('40/live,')) {
          // Joined: from here on nothing is read.
          socket.pause();
          socket.removeAllListeners('data');
          clearTimeout(timer);
          resolve(handle);
          return;
        }
      }
    });
  });
}
