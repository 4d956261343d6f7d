import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `vite dev` serves the web app alone; the API and the live channel stay on the Watchfloor server.
const server = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '3000'}`;

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
    },
  },
  ssr: {
    // SvelteKit needs cookie@0.6 (nested in its own node_modules) but fastify hoists cookie@2, which
    // dropped `parse`/`serialize`; bundled, the import resolves from SvelteKit's own folder. The SSR
    // build only renders build/200.html at build time.
    noExternal: ['cookie'],
  },
  build: {
    // Wall TVs keep old embedded Chromium/WebKit for years: lower the syntax to ES2019 and to the
    // oldest engines with ES modules and import.meta (esbuild satisfies all three). Runtime APIs
    // beyond these are in web/static/polyfills.js.
    target: ['es2019', 'chrome66', 'safari12'],
  },
});
