// Tolbooth front-end build: `cd pwa && npm ci && npm run build`.
//
// Wipes and recreates static/vendor/ and static/build/ (both git-ignored), then:
//   static/vendor/htmx.min.js                     copied from htmx.org
//   static/vendor/images/icons/icons.stack.svg    SGDS icon sprite (<use href="...#menu">)
//   static/build/tolbooth.css                     SGDS SCSS subset + ours (sass, then esbuild's CSS minifier)
//   static/build/tolbooth.js                      scripts/main.js + the SGDS components it imports (esbuild)
//   static/build/sw.js                            the service worker, sw/index.js (esbuild), served at /sw.js;
//                                                 its VERSION is a hash of the shell files and of itself
//   static/build/manifest.json                    { "build/tolbooth.css": "<sha256 first 12 hex>", ... }
// and prints each file's raw and gzipped size. Any error, or a budget overrun, exits non-zero.
//
// Versions are pinned exactly in package.json / package-lock.json:
// - htmx.org 2.0.x: the mature line (2.0.0 in 2024, many patch releases, the API every
//   guide and extension targets). 4.x is new (4.0.0 only recently out of beta), so we stay
//   on 2.x until it has settled; revisit then (4.x is also smaller, ~13 KB vs ~17 KB gzipped).
// - @scottish-government/design-system 4.2.0: SCSS and TypeScript sources compiled here, so
//   only the components we use are shipped.

import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import * as esbuild from 'esbuild';
import * as sass from 'sass';

const root = dirname(fileURLToPath(import.meta.url));
const modules = join(root, 'node_modules');
const staticDir = join(root, 'static');
const vendorDir = join(staticDir, 'vendor');
// Leaflet (BSD-2-Clause), only for pages with a map when a tile service is set up
// (TOLBOOTH_MAP_TILE_URL): outside vendor/ so the worker does not keep it for everyone.
const mapsDir = join(staticDir, 'maps');
const buildDir = join(staticDir, 'build');
const sgds = join(modules, '@scottish-government', 'design-system');

// Gzipped size budgets in bytes: the build fails above them.
const BUDGETS = {
    // 18 KiB since issues 13/14 (kiosk and field layouts share the one stylesheet).
    'build/tolbooth.css': 18 * 1024,
    'build/tolbooth.js': 12 * 1024,
    // Lazily loaded; most of it is the form interpreter. 17 KB since kiosks seal their
    // submissions here (issue 13: WebCrypto sealing, about 0.6 KB).
    'build/outbox.js': 17 * 1024,
    'build/sw.js': 12 * 1024,
    'build/kiosk_outbox.js': 16 * 1024, // kiosk receipt and outbox pages: QR code, sending
    'build/field.js': 16 * 1024, // the field app, loaded on /field only
};
// What the service worker keeps as the app shell: a change to any of these (or to the
// worker) makes a new build version, hence a new worker and new cache names.
const SHELL_DIRS = ['build', 'vendor', 'icons'];
const VERSION_PLACEHOLDER = '__tolbooth_build_version__';

function packageVersion(name) {
    return JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
}

function copy(from, to) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
}

function listFiles(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? listFiles(path) : [path];
    });
}

function staticPath(path) {
    return relative(staticDir, path).split(sep).join('/');
}

function vendor() {
    copy(join(modules, 'htmx.org', 'dist', 'htmx.min.js'), join(vendorDir, 'htmx.min.js'));
    // Only the icon sprite (menu, close, chevrons, search, ... ~12 KB); the SCSS itself
    // references no image files (warning-text's icon is an inline data: URI), and we do
    // not use the document-type icons.
    copy(
        join(sgds, 'dist', 'images', 'icons', 'icons.stack.svg'),
        join(vendorDir, 'images', 'icons', 'icons.stack.svg'),
    );
    const leaflet = join(modules, 'leaflet', 'dist');
    copy(join(leaflet, 'leaflet.js'), join(mapsDir, 'leaflet', 'leaflet.js'));
    copy(join(leaflet, 'leaflet.css'), join(mapsDir, 'leaflet', 'leaflet.css'));
    for (const image of readdirSync(join(leaflet, 'images'))) {
        copy(join(leaflet, 'images', image), join(mapsDir, 'leaflet', 'images', image));
    }
}

async function styles() {
    const warnings = [];
    const result = sass.compile(join(root, 'styles', 'tolbooth.scss'), {
        loadPaths: [modules],
        style: 'compressed',
        // SGDS 4.2.0 is written for sass 1.94; newer sass reports deprecations inside it
        // (e.g. the old if() syntax). Those are SGDS's to fix; ours are still reported.
        quietDeps: true,
        logger: {
            warn(message, options) {
                const where = options.span ? ` (${options.span.url}:${options.span.start.line + 1})` : '';
                warnings.push(`${options.deprecation ? 'deprecation' : 'warning'}: ${message}${where}`);
            },
        },
    });
    for (const warning of warnings) {
        console.warn(`sass ${warning}`);
    }
    // Sass does not merge or shorten much; esbuild's CSS minifier saves another ~5%.
    const minified = await esbuild.transform(result.css, { loader: 'css', minify: true, logLevel: 'warning' });
    const banner = `/*! Tolbooth. Includes the Scottish Government Design System ${packageVersion('@scottish-government/design-system')} (MIT licence) */\n`;
    writeFileSync(join(buildDir, 'tolbooth.css'), banner + minified.code);
}

async function scripts() {
    const result = await esbuild.build({
        entryPoints: [join(root, 'scripts', 'main.js')],
        outfile: join(buildDir, 'tolbooth.js'),
        bundle: true,
        format: 'iife',
        globalName: 'Tolbooth',
        minify: true,
        target: 'es2019',
        platform: 'browser',
        legalComments: 'inline',
        banner: {
            js: `/*! Tolbooth. Includes parts of the Scottish Government Design System ${packageVersion('@scottish-government/design-system')} (MIT licence) */`,
        },
        metafile: true,
        logLevel: 'warning',
    });
    if (result.errors.length || result.warnings.length) {
        throw new Error('esbuild reported problems (see above)');
    }
    // The outbox and offline journey (scripts/outbox/page.js): loaded by
    // scripts/outbox/loader.js only when needed (offline, an offline copy, /outbox, or
    // something queued), so the first visit does not pay for it.
    const outbox = await esbuild.build({
        entryPoints: [join(root, 'scripts', 'outbox', 'page.js')],
        outfile: join(buildDir, 'outbox.js'),
        bundle: true,
        format: 'iife',
        globalName: 'TolboothOutbox',
        minify: true,
        target: 'es2020',
        platform: 'browser',
        logLevel: 'warning',
    });
    if (outbox.errors.length || outbox.warnings.length) {
        throw new Error('esbuild reported problems in the outbox bundle (see above)');
    }
    // The kiosk's receipt and outbox pages (scripts/kiosk/pages.js, issue 13): only on
    // those pages, as it carries a QR code generator (qrcode-generator, MIT licence).
    const kiosk = await esbuild.build({
        entryPoints: [join(root, 'scripts', 'kiosk', 'pages.js')],
        outfile: join(buildDir, 'kiosk_outbox.js'),
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2020',
        platform: 'browser',
        legalComments: 'inline',
        logLevel: 'warning',
    });
    if (kiosk.errors.length || kiosk.warnings.length) {
        throw new Error('esbuild reported problems in the kiosk bundle (see above)');
    }
    // The field app (scripts/field/app.js): loaded by scripts/field/loader.js on /field only.
    const field = await esbuild.build({
        entryPoints: [join(root, 'scripts', 'field', 'app.js')],
        outfile: join(buildDir, 'field.js'),
        bundle: true,
        format: 'iife',
        globalName: 'TolboothField',
        minify: true,
        target: 'es2020',
        platform: 'browser',
        logLevel: 'warning',
    });
    if (field.errors.length || field.warnings.length) {
        throw new Error('esbuild reported problems in the field bundle (see above)');
    }
    const tracking = Object.keys(result.metafile.inputs).filter((input) => /tracking/.test(input));
    if (tracking.length) {
        throw new Error(`tracking code must stay out of the bundle, found: ${tracking.join(', ')}`);
    }
}

async function serviceWorker() {
    const result = await esbuild.build({
        entryPoints: [join(root, 'sw', 'index.js')],
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2020',
        platform: 'browser',
        legalComments: 'inline',
        define: { __TOLBOOTH_BUILD__: JSON.stringify(VERSION_PLACEHOLDER) },
        write: false,
        logLevel: 'warning',
    });
    if (result.errors.length || result.warnings.length) {
        throw new Error('esbuild reported problems in the service worker (see above)');
    }
    const code = result.outputFiles[0].text;
    if (!code.includes(VERSION_PLACEHOLDER)) {
        throw new Error('the service worker no longer uses its build version (sw/version.js)');
    }
    const hash = createHash('sha256');
    const shellFiles = SHELL_DIRS.flatMap((dir) => listFiles(join(staticDir, dir))).sort();
    for (const path of shellFiles) {
        hash.update(staticPath(path)).update('\0').update(readFileSync(path)).update('\0');
    }
    hash.update(code);
    const version = hash.digest('hex').slice(0, 12);
    writeFileSync(join(buildDir, 'sw.js'), code.split(VERSION_PLACEHOLDER).join(version));
    console.log(`service worker build version ${version}`);
}

function report() {
    const files = listFiles(staticDir)
        .filter((path) => path.startsWith(vendorDir + sep) || path.startsWith(buildDir + sep))
        .sort();
    const manifest = {};
    const rows = [];
    const overBudget = [];
    for (const path of files) {
        const name = staticPath(path);
        const data = readFileSync(path);
        const gzipped = gzipSync(data, { level: 9 }).length;
        manifest[name] = createHash('sha256').update(data).digest('hex').slice(0, 12);
        rows.push([name, statSync(path).size, gzipped]);
        if (BUDGETS[name] && gzipped > BUDGETS[name]) {
            overBudget.push(`${name} is ${gzipped} bytes gzipped, budget ${BUDGETS[name]}`);
        }
    }
    writeFileSync(join(buildDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

    const width = Math.max(...rows.map(([name]) => name.length));
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
    console.log(`${'static/'.padEnd(width + 7)}      raw    gzipped`);
    for (const [name, raw, gzipped] of rows) {
        console.log(`static/${name.padEnd(width)} ${kb(raw)} ${kb(gzipped)}`);
    }
    console.log(`static/build/manifest.json written (${rows.length} files)`);
    if (overBudget.length) {
        throw new Error(`over the size budget:\n  ${overBudget.join('\n  ')}`);
    }
}

async function main() {
    rmSync(vendorDir, { recursive: true, force: true });
    rmSync(mapsDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
    mkdirSync(vendorDir, { recursive: true });
    mkdirSync(buildDir, { recursive: true });

    console.log(
        `htmx.org ${packageVersion('htmx.org')}, @scottish-government/design-system ` +
        `${packageVersion('@scottish-government/design-system')}, sass ${sass.info.split('\t')[1]}, ` +
        `esbuild ${esbuild.version}`,
    );
    vendor();
    await styles();
    await scripts();
    await serviceWorker();
    report();
}

main().catch((error) => {
    console.error(`\nfront-end build FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
});
