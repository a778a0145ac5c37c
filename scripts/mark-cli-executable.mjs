// Makes the built CLI (package.json "bin") executable. tsc writes new files without the execute
// bit; `npx yuanbridge` in this directory runs the file through npm's own link to the project,
// which set the bit only when that link was first made. A dist/ built again from scratch (or a
// second clone at the same path) then answered "Permission denied".
import { chmodSync } from 'node:fs';

chmodSync(new URL('../dist/src/cli/main.js', import.meta.url), 0o755);
