// A screenshot of the "Possible incident" card on /command, for the docs:
// `npx tsx test/e2e/surge-screenshot.ts` (after `npm run build:web`). Starts the real server with the
// simulator's traffic and TICKET_URLS for the demo source (so the card's tickets carry links), opens
// /command in headless Chromium, posts seven tickets on L1 whose subjects share words, as a helpdesk
// would over twelve minutes, waits for the card and writes docs/command-suggestion.png (1920×1080).
import fs from 'node:fs';
import path from 'node:path';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { REPO_ROOT as root, startDemoServer } from '../helpers/demo-server.js';
import { iso, ticketEvent } from '../helpers/events.js';
import { postEvents } from '../helpers/live-client.js';

const MINUTE = 60_000;
// A topic the simulator never writes about: its everyday topics ("Cannot log in to the customer
// portal") bring tickets all day, and surge detection rightly does not call those a surge.
const SUBJECTS = [
  'Booking confirmation has no Zoom link',
  'Zoom link missing in booking confirmation',
  'No Zoom link in the confirmation email for bookings',
  'Booking confirmations arrive without the Zoom link',
  'Zoom meeting link not in booking confirmation',
  'Customers get booking confirmation without Zoom link',
  'Zoom link disappeared from booking confirmations today',
];

const { t, url, simulator } = await startDemoServer({ TICKET_URLS: 'demo=https://helpdesk.example/tickets/{id}' });

const browser = await launchBrowser();
let failed = false;
try {
  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/command?token=${TOKENS.commander}&lang=en`);
  await page.waitForSelector('body[data-connection="live"] [data-list], body[data-connection="live"] [data-empty="active"]', { timeout: 15_000 });

  // Seven tickets over the last twelve minutes, unanswered, on L1.
  const now = Date.now();
  await postEvents(
    url,
    SUBJECTS.map((subject, i) =>
      ticketEvent({
        source: 'demo',
        id: String(48_211 + i * 3),
        queue: 'l1',
        subject,
        tags: i % 2 === 0 ? ['bookings', 'zoom'] : ['bookings'],
        createdAt: iso(now - 12 * MINUTE + i * 2 * MINUTE),
        firstResponseDueAt: iso(now + 3 * 60 * MINUTE),
      }),
    ),
  );
  await page.waitForSelector('article[data-suggestion][data-line="l1"] [data-ticket] a', { timeout: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'docs', 'command-suggestion.png') });
  console.log('docs/command-suggestion.png (1920×1080)');
  for (const error of errors) console.log(`  browser error: ${error}`);
  if (errors.length > 0) failed = true;
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
}
process.exit(failed ? 1 : 0);
