// The flow between lines (docs/contract.md#the-flow-between-lines) in the app: the model counts it;
// this keeps the model's order of the lines that of `dashboards/flow.json` (re-read every few
// seconds and before each escalations list; a bad file keeps the last good one; none: l1, l2, l3).
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DashboardProblem } from '../../contract/dashboards.js';
import { DEFAULT_FLOW_LINES } from '../domain/live-model.js';
import { SettingsFile } from '../dashboards/settings-file.js';
import { validateFlowFile, type FlowConfig } from './flow-file.js';

export const FLOW_FILE = 'flow.json';
const RELOAD_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    flowLines: {
      /** Re-reads flow.json and hands its lines to the model when they changed. */
      reload(): void;
      /** What is wrong with the file as it is now. */
      problems(): DashboardProblem[];
    };
  }
}

export const flowPlugin = fp(
  async (app: FastifyInstance) => {
    const settings = new SettingsFile<FlowConfig>(path.join(app.config.dashboardsDir, FLOW_FILE), {
      validate: validateFlowFile,
      log: app.log,
      missing: `no flow file: the lines are ${DEFAULT_FLOW_LINES.join(', ')}`,
      describe: (config) => `lines ${config.lines.join(', ')}`,
    });
    const reload = (): void => app.model.setFlowLines(settings.read()?.lines ?? DEFAULT_FLOW_LINES);
    reload();
    app.decorate('flowLines', { reload, problems: () => settings.problems });
    const reloading = setInterval(reload, RELOAD_MS);
    reloading.unref();
    app.addHook('preClose', async () => clearInterval(reloading));
  },
  { name: 'flow', dependencies: ['config', 'model'] },
);
