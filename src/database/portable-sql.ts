// SQL expressions that differ between SQLite and PostgreSQL but must give identical results.
import type { DataSource } from 'typeorm';

/** Whether the data source runs on PostgreSQL (the alternative is the embedded SQLite). */
export const isPostgres = (dataSource: DataSource): boolean => dataSource.options.type === 'postgres';

/** How a hand-written statement marks its n-th parameter (from 1): `$n` on PostgreSQL, `?` on SQLite (in order). */
export const parameterMarker = (dataSource: DataSource): ((position: number) => string) =>
  isPostgres(dataSource) ? (position) => `$${position}` : () => '?';

/**
 * Whole hours from 1970-01-01 UTC to a timestamp column: a number, cheaper to group by than
 * formatted text. DATE_PART (double), not EXTRACT (numeric since PostgreSQL 14): twice as fast.
 */
export function epochHourOf(dataSource: DataSource, column: string): string {
  return isPostgres(dataSource)
    ? `FLOOR(DATE_PART('epoch', ${column}) / 3600)`
    : `CAST(strftime('%s', ${column}) AS INTEGER) / 3600`;
}

/** A text column ordered byte by byte (SQLite's default; PostgreSQL's depends on the database's locale). */
export function inBinaryOrder(dataSource: DataSource, column: string): string {
  return isPostgres(dataSource) ? `${column} COLLATE "C"` : column;
}
