// The build version and the cache names made from it. pwa/build.mjs replaces
// __TOLBOOTH_BUILD__ (esbuild `define`) with a hash of everything the build wrote, so any
// change to the app shell gives a new worker script, new cache names, and an update.
export const VERSION = __TOLBOOTH_BUILD__;

// Every cache name carries the version: a new worker fills its own caches while the old
// one keeps serving from its caches, and cleanup.js removes the old ones on activate.
export const SHELL_CACHE = `tolbooth-shell-${VERSION}`;
export const PAGES_CACHE = `tolbooth-pages-${VERSION}`;
export const OUR_CACHES = /^tolbooth-(shell|pages)-/;
