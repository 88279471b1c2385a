// Installs npm dependencies when they are missing or older than package-lock.json,
// so `npm start` and `npm test` work on a fresh clone without a separate step.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || (existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs);

if (stale) {
  console.error('[deps] installing npm dependencies (npm ci)');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
