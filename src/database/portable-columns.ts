// Column helpers that work on SQLite and PostgreSQL. TypeORM has no timestamp type common to both
// drivers, so entities declare `datetime` and the DataSource factory rewrites it per driver
// (PostgreSQL gets `timestamptz`) before the metadata is built.
import { Column, ColumnOptions, CreateDateColumn, getMetadataArgsStorage, UpdateDateColumn } from 'typeorm';

const PORTABLE_DATETIME = 'datetime';

export const DateTimeColumn = (options: ColumnOptions = {}) => Column({ ...options, type: PORTABLE_DATETIME });
export const CreatedAtColumn = () => CreateDateColumn({ name: 'created_at', type: PORTABLE_DATETIME });
export const UpdatedAtColumn = () => UpdateDateColumn({ name: 'updated_at', type: PORTABLE_DATETIME });
/** JSON stored as text on both drivers; queries never look inside it. */
export const JsonColumn = (options: ColumnOptions = {}) => Column({ ...options, type: 'simple-json' });

export type DriverKind = 'postgres' | 'sqlite';

const datetimeColumns = new Set<ColumnOptions>();

export function applyPortableColumnTypes(driver: DriverKind): void {
  for (const column of getMetadataArgsStorage().columns) {
    const options = column.options;
    if (options.type === PORTABLE_DATETIME || datetimeColumns.has(options)) {
      datetimeColumns.add(options);
      options.type = driver === 'postgres' ? 'timestamptz' : PORTABLE_DATETIME;
    }
  }
}
