import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { DbLockService } from './db-lock.service';
import { runMigrations } from './migration-runner';
import { applyPortableColumnTypes } from './portable-columns';
import { queueSqliteTransactions } from './sqlite-transactions';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: AppConfig['database']): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...buildDataSourceOptions(database), autoLoadEntities: true }),
          // Migrations run before any module can query, so the schema is always current.
          dataSourceFactory: async (options) => {
            applyPortableColumnTypes(database.type);
            const dataSource = await new DataSource(options!).initialize();
            queueSqliteTransactions(dataSource);
            if (database.runMigrations) {
              const ran = await runMigrations(dataSource);
              if (ran.length) new Logger('Database').log(`Applied migrations: ${ran.join(', ')}`);
            }
            return dataSource;
          },
        }),
      ],
      providers: [DbLockService],
      exports: [DbLockService],
    };
  }
}
