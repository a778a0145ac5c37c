import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One file the /audit page may fetch: where it is on disk and how it is served. */
export interface WebAsset {
  readonly file: string;
  readonly contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

/**
 * The page's own files (HTML, CSS, browser modules). They are not compiled, so they are read
 * from the source tree: dist/src/audit/web → the repository root → src/audit/web/public (the
 * Dockerfile copies that folder next to dist/, as it does openapi.yaml).
 */
export const PUBLIC_DIR = path.join(__dirname, '..', '..', '..', '..', 'src', 'audit', 'web', 'public');

/** Every file of public/, named: the page lists nothing it does not ship. */
const PAGE_FILES = [
  'index.html',
  'audit.css',
  'app.mjs',
  'api.mjs',
  'signer.mjs',
  'proof.mjs',
  'data.mjs',
  'money.mjs',
  'dom.mjs',
];

/**
 * The map from URL path (after `/audit/`) to file: the only files served, decided once at start.
 * A request names a key of this map or gets 404; no part of a URL is ever joined to a directory,
 * so no path can walk out of it.
 */
export function webAssets(): ReadonlyMap<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  const add = (urlPath: string, file: string) => {
    const contentType = TYPES[path.extname(file)];
    if (contentType === undefined) throw new Error(`no content type for ${file}`);
    assets.set(urlPath, { file, contentType });
  };
  for (const name of PAGE_FILES) add(name, path.join(PUBLIC_DIR, name));
  // The hashing rules the node seals the log with, as compiled: the browser checks proofs with
  // the very same code (audit-proof.mts has no imports, so it runs there unchanged).
  add('audit-proof.mjs', path.join(__dirname, '..', 'proof', 'audit-proof.mjs'));
  // @noble/curves and @noble/hashes as installed: ES modules importing each other by relative
  // `.js` paths and by `@noble/hashes/...` (the import map in index.html). Only the packages'
  // top-level and abstract/ modules: not their TypeScript sources, package.json or anything else.
  for (const pkg of ['@noble/curves', '@noble/hashes']) {
    const root = path.dirname(require.resolve(`${pkg}/utils.js`));
    for (const sub of ['', 'abstract']) {
      const dir = path.join(root, sub);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir)) {
        if (!name.endsWith('.js')) continue;
        add(`vendor/${pkg}/${sub === '' ? '' : `${sub}/`}${name}`, path.join(dir, name));
      }
    }
  }
  return assets;
}

/**
 * The Content-Security-Policy for the page: scripts only from this origin plus the one inline
 * import map (by its hash), requests only to this origin. The secret key sits in the page's
 * memory and sessionStorage, so nothing foreign may run there or be sent anywhere.
 */
export function contentSecurityPolicy(indexHtml: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml);
  if (importMap === null) throw new Error('index.html has no import map');
  const hash = createHash('sha256').update(importMap[1]!, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
