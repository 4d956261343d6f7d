// Tokens and roles (docs/contract.md#authentication-and-roles). Secrets are looked up by their SHA-256 and confirmed with a
// constant-time comparison, so neither the lookup nor the check leaks how much of a guess
// was right. Secrets never reach a log line.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config-error.js';
import { AuthThrottle } from './auth-throttle.js';

/** Ranked roles, each including the ones before it; `ingest` stands apart. */
export const RANKED_ROLES = ['viewer', 'supervisor', 'commander', 'admin'] as const;
export const ROLES = [...RANKED_ROLES, 'ingest'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  name: string;
}

export interface TokenEntry extends Principal {
  secret: string;
}

const MIN_SECRET_LENGTH = 16;

function digest(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

export class TokenRegistry {
  private readonly byDigest = new Map<string, { principal: Principal; digest: Buffer }>();
  /** Failed authentications per address, shared by the HTTP guards and the live handshake. */
  readonly throttle = new AuthThrottle();

  constructor(readonly entries: readonly TokenEntry[]) {
    for (const entry of entries) {
      const d = digest(entry.secret);
      this.byDigest.set(d.toString('hex'), { principal: { role: entry.role, name: entry.name }, digest: d });
    }
  }

  authenticate(secret: string | undefined): Principal | null {
    if (secret === undefined || secret.length === 0) return null;
    const d = digest(secret);
    const found = this.byDigest.get(d.toString('hex'));
    if (found === undefined || !crypto.timingSafeEqual(found.digest, d)) return null;
    return found.principal;
  }

  /** The first token of a role, for the demo's ready-to-open URLs. */
  secretFor(role: Role): string | undefined {
    return this.entries.find((entry) => entry.role === role)?.secret;
  }
}

/** Whether a principal may do what needs `needed`. */
export function allows(principal: Principal, needed: Role): boolean {
  if (needed === 'ingest' || principal.role === 'ingest') return principal.role === needed;
  return RANKED_ROLES.indexOf(principal.role) >= RANKED_ROLES.indexOf(needed);
}

/** Parses `WATCHFLOOR_TOKENS`: comma-separated `role:name:secret`. */
export function parseTokenList(raw: string): TokenEntry[] {
  const entries = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part, index) => {
      const [role, name, ...rest] = part.split(':');
      const secret = rest.join(':');
      const where = `entry ${index + 1}`;
      if (role === undefined || name === undefined || rest.length === 0) {
        throw new ConfigError('WATCHFLOOR_TOKENS', `${where} must look like role:name:secret`);
      }
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new ConfigError('WATCHFLOOR_TOKENS', `${where} has unknown role "${role}"; roles are ${ROLES.join(', ')}`);
      }
      if (name.length === 0) throw new ConfigError('WATCHFLOOR_TOKENS', `${where} has an empty name`);
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new ConfigError('WATCHFLOOR_TOKENS', `${where} (${name}) has a secret shorter than ${MIN_SECRET_LENGTH} characters`);
      }
      return { role: role as Role, name, secret };
    });
  if (entries.length === 0) throw new ConfigError('WATCHFLOOR_TOKENS', 'is set but holds no entries');
  return entries;
}

export interface LoadedTokens {
  registry: TokenRegistry;
  /** The file the tokens were generated into on this start, or null. */
  generatedFile: string | null;
}

/** From WATCHFLOOR_TOKENS, else DATA_DIR/tokens.json, generated on the first start. */
export function loadTokens(options: { tokens: string | null; dataDir: string }): LoadedTokens {
  if (options.tokens !== null) return { registry: new TokenRegistry(parseTokenList(options.tokens)), generatedFile: null };
  const file = path.join(options.dataDir, 'tokens.json');
  if (fs.existsSync(file)) {
    let entries: TokenEntry[];
    try {
      entries = (JSON.parse(fs.readFileSync(file, 'utf8')) as { tokens: TokenEntry[] }).tokens;
      parseTokenList(entries.map((e) => `${e.role}:${e.name}:${e.secret}`).join(','));
    } catch (error) {
      throw new ConfigError('DATA_DIR', `${file} is not a valid token file (${(error as Error).message})`);
    }
    return { registry: new TokenRegistry(entries), generatedFile: null };
  }
  const entries: TokenEntry[] = ROLES.map((role) => ({
    role,
    name: role,
    secret: crypto.randomBytes(24).toString('base64url'),
  }));
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify({ tokens: entries }, null, 2)}\n`, { mode: 0o600 });
  return { registry: new TokenRegistry(entries), generatedFile: file };
}
