import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The web app lives in web/ next to server/ (one package, one lockfile); kit.files is
    // deprecated in favour of monorepos but still supported, and a second package is not worth it.
    files: {
      src: 'web/src',
      routes: 'web/src/routes',
      lib: 'web/src/lib',
      appTemplate: 'web/src/app.html',
      assets: 'web/static',
    },
    // A single-page app: the server answers unknown non-API paths with build/200.html.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', strict: true }),
  },
};

export default config;
