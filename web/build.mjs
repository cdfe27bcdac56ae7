// Builds the dashboard into one folder that the server serves as static files:
//
//   DIR/index.html, DIR/app.js, DIR/app.css,    the dashboard (the Natural Earth basemap is inside app.js)
//   DIR/favicon.svg
//   DIR/docs/index.html + Swagger UI's files     the API docs page, reading /openapi.yaml
//   DIR/licenses.txt, DIR/docs/LICENSE, NOTICE   the licences of what is shipped
//
// Usage: node build.mjs [--outdir=DIR]   (default: web/dist). Needs only node_modules (npm ci), no
// network, and gives the same bytes on every run.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, 'node_modules');

function parseOutdir(argv) {
  let outdir = path.join(here, 'dist');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--outdir=')) outdir = arg.slice('--outdir='.length);
    else if (arg === '--outdir' && argv[i + 1]) outdir = argv[++i];
    else {
      console.error(`unknown argument: ${arg}\nusage: node build.mjs [--outdir=DIR]`);
      process.exit(2);
    }
  }
  outdir = path.resolve(outdir);
  // The folder is emptied first; never let a typo empty the sources or a folder above them.
  const up = path.relative(outdir, here);
  if (up === '' || (!up.startsWith('..') && !path.isAbsolute(up))) {
    console.error(`refusing to build into ${outdir}: it contains the sources`);
    process.exit(2);
  }
  return outdir;
}

const outdir = parseOutdir(process.argv.slice(2));
rmSync(outdir, { recursive: true, force: true });
mkdirSync(path.join(outdir, 'docs'), { recursive: true });

await build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.js' },
  outdir,
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const copy = (from, to) => copyFileSync(from, path.join(outdir, to));
copy(path.join(here, 'index.html'), 'index.html');
copy(path.join(here, 'favicon.svg'), 'favicon.svg');

// Swagger UI: only what the docs page loads, plus its licence. Its own index.html and initializer
// are replaced by ours, which point at the server's /openapi.yaml instead of the petstore.
const swagger = path.join(modules, 'swagger-ui-dist');
for (const name of ['swagger-ui-bundle.js', 'swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui.css', 'favicon-32x32.png',
  'LICENSE', 'NOTICE']) {
  copy(path.join(swagger, name), `docs/${name}`);
}
for (const name of ['index.html', 'init.js', 'docs.css']) {
  copy(path.join(here, 'docs', name), `docs/${name}`);
}

// The licences of the packages bundled into app.js (ISC requires the notice in every copy).
const bundled = ['d3-array', 'd3-geo', 'topojson-client', 'world-atlas'];
writeFileSync(path.join(outdir, 'licenses.txt'), bundled.map((name) => {
  const { version, license } = JSON.parse(readFileSync(path.join(modules, name, 'package.json'), 'utf8'));
  const text = readFileSync(path.join(modules, name, 'LICENSE'), 'utf8').trim();
  const extra = name === 'world-atlas' ? '\n\nMap data: Natural Earth (naturalearthdata.com), public domain.' : '';
  return `${name} ${version} (${license})\n\n${text}${extra}\n`;
}).join(`\n${'-'.repeat(72)}\n\n`));

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => (e.isDirectory()
    ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
    : [`${prefix}${e.name}`]));
}
let total = 0;
for (const file of listFiles(outdir)) {
  const size = statSync(path.join(outdir, file)).size;
  total += size;
  console.log(`${String(size).padStart(10)}  ${file}`);
}
console.log(`${String(total).padStart(10)}  total in ${path.relative(process.cwd(), outdir) || '.'}`);
