// A single-page app: the server serves build/200.html for every screen path, and all data
// comes over the live channel, so nothing is rendered or prerendered at build time.
export const ssr = false;
export const prerender = false;
