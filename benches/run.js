// `npm run bench`: every JS-side benchmark in this folder, one after the other.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

(async () => {
  const only = process.argv[2];
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f === 'run.js' || !f.endsWith('.js') || (only && !f.includes(only))) continue;
    console.log(`\n== ${f}`);
    await require(path.join(__dirname, f))();
  }
})();
