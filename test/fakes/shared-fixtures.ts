import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * `../shared/fixtures/{kind}` beside the project root, found by walking up to package.json, so
 * the fakes find their payloads whether they run from test/ or compiled under dist-bench/.
 */
export function sharedFixturesDir(kind: 'evolution' | 'hive' | 'discord'): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.resolve(dir, '../shared/fixtures', kind);
}
