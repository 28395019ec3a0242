import type { ObjectLiteral, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export interface SqlWithParams {
  sql: string;
  params: unknown[];
}

/**
 * From this many rows on, each column's values travel as one array (`SELECT * FROM unnest(…)`)
 * rather than as a parameter per cell. PostgreSQL parses and plans a VALUES list of hundreds of
 * parameters for longer than it takes to write the rows; unnest has a fixed cost of its own.
 * Backend CPU per webhook and its payload, measured on the bench's schema: 1 row 375 (VALUES)
 * against 550 µs (unnest), 4 rows 231 against 219, 12 rows 190 against 138, 32 rows 175 against 82.
 */
const UNNEST_FROM_ROWS = 12;

/**
 * A multi-row PostgreSQL INSERT built straight from the entity's columns, for hot paths only:
 * TypeORM's query builder spends longer assembling an insert than PostgreSQL takes to run it.
 * Every row must set the same properties; a property no row sets takes the column's default.
 * Parameters are numbered from `firstParam`, so the statement can follow another one's.
 */
export function postgresInsertOf<T extends ObjectLiteral>(repository: Repository<T>, rows: Partial<T>[], firstParam = 1): SqlWithParams {
  const table = repository.metadata.tableName;
  const columns = repository.metadata.columns.filter((column) => !column.isVirtual && rows.some((row) => row[column.propertyName] !== undefined));
  const values = columns.map((column) => valuesOf(repository, column, rows));
  const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
  const insert = `INSERT INTO "${table}" (${names})`;
  if (rows.length >= UNNEST_FROM_ROWS) {
    const { driver } = repository.manager.connection;
    const arrays = columns.map((column, i) => `$${firstParam + i}::${driver.normalizeType(column)}[]`).join(', ');
    return { sql: `${insert} SELECT * FROM unnest(${arrays})`, params: values };
  }
  const tuples = rows.map((_, row) => `(${columns.map((_, column) => `$${firstParam + row * columns.length + column}`).join(', ')})`);
  return { sql: `${insert} VALUES ${tuples.join(', ')}`, params: rows.flatMap((_, row) => values.map((column) => column[row])) };
}

function valuesOf<T extends ObjectLiteral>(repository: Repository<T>, column: ColumnMetadata, rows: Partial<T>[]): unknown[] {
  const { driver } = repository.manager.connection;
  return rows.map((row) => {
    const value = row[column.propertyName];
    // unnest has no per-row DEFAULT, and NULL instead would silently differ; VALUES follows the same rule.
    if (value === undefined) throw new Error(`${repository.metadata.tableName}.${column.propertyName} is set on some rows of the insert only`);
    return driver.preparePersistentValue(value, column);
  });
}
