// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/migration-runner';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
  try {
    const ran = await runMigrations(dataSource);
    console.log(ran.length ? `Applied: ${ran.join(', ')}` : 'Database schema is up to date.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
