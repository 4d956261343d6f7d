// The few runtime APIs that the bundle (Svelte 5, SvelteKit, socket.io-client) calls beyond what
// its syntax target (Chrome 66, Safari 12: the oldest wall TV browsers with ES modules) provides,
// found by searching the build output. Loaded as a classic script, before the app's modules.
(function () {
  'use strict';
  var w = window;
  if (typeof globalThis === 'undefined') w.globalThis = w;
  if (typeof w.queueMicrotask !== 'function') {
    w.queueMicrotask = function (callback) {
      Promise.resolve()
        .then(callback)
        .catch(function (error) {
          setTimeout(function () {
            throw error;
          });
        });
    };
  }
  if (typeof Object.fromEntries !== 'function') {
    Object.fromEntries = function (entries) {
      var result = {};
      Array.from(entries, function (entry) {
        result[entry[0]] = entry[1];
      });
      return result;
    };
  }
  if (typeof String.prototype.replaceAll !== 'function') {
    Object.defineProperty(String.prototype, 'replaceAll', {
      configurable: true,
      writable: true,
      value: function (search, replacement) {
        var pattern =
          search instanceof RegExp ? search : new RegExp(String(search).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
        return String(this).replace(pattern, replacement);
      },
    });
  }
})();
