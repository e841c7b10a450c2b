import { existsSync } from 'node:fs';
import { join } from 'node:path';

let resolved: string | null = null;

/** templates/ at the repository root, found from source (ts-node, jest) and from dist/ alike. */
export function templatesDir(): string {
  if (resolved) return resolved;
  const candidates = [
    join(__dirname, '..', '..', 'templates'),
    join(__dirname, '..', '..', '..', 'templates'),
    join(process.cwd(), 'templates'),
  ];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'notices')));
  if (!found) throw new Error(`templates/ not found (looked in ${candidates.join(', ')})`);
  resolved = found;
  return found;
}
