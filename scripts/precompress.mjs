// After `vite build`: writes a .br and a .gz next to every text file of the web build, so the
// server sends compressed bytes without compressing per request (server/http/web-assets.ts).
// Brotli at its best quality is slow (~1 s for the whole build), which is fine once per build.
// A sibling that would not be smaller is not written: the server then sends the file itself.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;

const root = path.resolve(process.argv[2] ?? 'build');
const started = performance.now();
let files = 0;
let before = 0;
let afterBrotli = 0;
let afterGzip = 0;

for (const name of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
  const file = path.join(root, name);
  if (!TEXT.test(name) || !fs.statSync(file).isFile()) continue;
  const content = fs.readFileSync(file);
  const brotli = zlib.brotliCompressSync(content, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  const gzip = zlib.gzipSync(content, { level: zlib.constants.Z_BEST_COMPRESSION });
  // A stale sibling from an earlier build must never outlive its file's new content.
  for (const [ending, bytes] of [
    ['.br', brotli],
    ['.gz', gzip],
  ]) {
    if (bytes.length < content.length) fs.writeFileSync(file + ending, bytes);
    else fs.rmSync(file + ending, { force: true });
  }
  files++;
  before += content.length;
  afterBrotli += Math.min(brotli.length, content.length);
  afterGzip += Math.min(gzip.length, content.length);
}

const kb = (bytes) => `${Math.round(bytes / 1024)} KB`;
console.log(
  `precompress: ${files} files in ${path.relative(process.cwd(), root) || '.'}, ${kb(before)} → brotli ${kb(afterBrotli)}, gzip ${kb(afterGzip)} (${Math.round(performance.now() - started)} ms)`,
);
