#!/usr/bin/env node
// `npm run admin:create -- --email … --name …`: the first admin of the program (README, Going live).
// In a checkout it runs the sources under ts-node, like `npm run seed`; in the image, whose
// development dependencies are pruned, the build (dist/), so the same command works in both:
//   docker compose run --rm api npm run admin:create -- --email … --name …
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'database', 'create-admin.ts');
let tsNode = null;
try {
  tsNode = require.resolve('ts-node', { paths: [root] });
} catch {
  tsNode = null;
}
if (tsNode && fs.existsSync(source)) {
  require(tsNode).register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  require(source);
} else {
  require(path.join(root, 'dist', 'src', 'database', 'create-admin.js'));
}
