// The `?transport=` option of a screen's URL: WebSocket only when asked, the default otherwise.
// What the option does through a balancer without sticky sessions is in test/ops/nginx.service.test.ts.
import { describe, expect, it } from 'vitest';
import { transportFromUrl, transportOptions } from '../../../../web/src/lib/live/transport.js';

const at = (query: string) => transportFromUrl(new URL(`http://wall.example/wall/support${query}`));

describe('the live transport of a page', () => {
  it('is WebSocket only with ?transport=websocket, whatever the case or other options', () => {
    expect(at('?transport=websocket')).toBe('websocket');
    expect(at('?name=lobby&transport=WebSocket&token=t')).toBe('websocket');
    expect(transportOptions('websocket')).toEqual({ transports: ['websocket'], tryAllTransports: false });
  });

  it('is WebSocket with a long-polling fallback otherwise', () => {
    for (const query of ['', '?name=lobby', '?transport=', '?transport=polling', '?transport=websockets']) expect(at(query), query).toBe('auto');
    expect(transportOptions('auto')).toEqual({ transports: ['websocket', 'polling'], tryAllTransports: true });
  });
});
