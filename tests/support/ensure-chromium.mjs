// Run by `npm test` (pretest): the browser tests drive Debian's Chromium at /usr/bin/chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

if (process.getuid?.() === 0) {
  console.log(
    `${CHROMIUM} est absent : installation avec apt-get (apt-get update && apt-get install -y chromium)…`,
  );
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    console.error(
      'L’installation de Chromium a échoué. Installez-le à la main : apt-get install -y chromium',
    );
    process.exit(1);
  }
  if (existsSync(CHROMIUM)) process.exit(0);
}

console.error(
  `Les tests du chat web ont besoin de Chromium (${CHROMIUM}). Installez-le, en administrateur : sudo apt-get install -y chromium`,
);
process.exit(1);
