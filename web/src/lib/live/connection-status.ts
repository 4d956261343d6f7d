// The connection as screens tell it: `live` while messages arrive, `reconnecting` once the socket
// dropped (or before the first state), `offline` when refused or silent too long (connection-state).
export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';
