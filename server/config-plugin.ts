// The first plugin: the configuration, the clock and the tokens, which every other one reads.
// Tests pass their own clock (BuildOptions.now).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadTokens, type TokenRegistry } from './auth/tokens.js';
import type { Config } from './config.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The clock of the whole app (ms since the epoch). */
    now: () => number;
    startedAt: number;
    tokens: TokenRegistry;
    /** Where tokens were generated on this start (printed once), or null. */
    generatedTokensFile: string | null;
  }
}

export interface ConfigPluginOptions {
  config: Config;
  now: () => number;
}

export const configPlugin = fp(
  async (app: FastifyInstance, { config, now }: ConfigPluginOptions) => {
    const { registry, generatedFile } = loadTokens(config);
    app.decorate('config', config);
    app.decorate('now', now);
    app.decorate('startedAt', now());
    app.decorate('tokens', registry);
    app.decorate('generatedTokensFile', generatedFile);
  },
  { name: 'config' },
);
