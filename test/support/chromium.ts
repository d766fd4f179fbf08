import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's Chromium, where it is installed (or `CHROMIUM_PATH`). */
export const chromiumPath = CANDIDATES.find(
  (candidate): candidate is string => !!candidate && existsSync(candidate),
);

export const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium';

/**
 * Chromium's sandbox needs user namespaces, which it refuses to use as root: as root (CI
 * containers) it starts only with `--no-sandbox`. The page it loads is our own, on loopback.
 */
export const chromiumArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
