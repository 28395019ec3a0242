import type { ObjectLiteral, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export interface SqlWithParams {
  sql: string;
  params: unknown[];
}

/**
 * A multi-row PostgreSQL INSERT built straight from the entity's columns. TypeORM's query
 * builder spends longer assembling an insert than PostgreSQL takes to run it; this is for hot
 * paths only. A property left undefined takes the column's default, as with the builder.
 * Parameters are numbered from `firstParam`, so the statement can follow another one's.
 */
export function postgresInsertOf<T extends ObjectLiteral>(repository: Repository<T>, rows: Partial<T>[], firstParam = 1): SqlWithParams {
  const { driver } = repository.manager.connection;
  const columns = repository.metadata.columns.filter((column) => !column.isVirtual && rows.some((row) => row[column.propertyName] !== undefined));
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = columns.map((column: ColumnMetadata) => {
      const value = row[column.propertyName];
      if (value === undefined) return 'DEFAULT';
      params.push(driver.preparePersistentValue(value, column));
      return `$${firstParam + params.length - 1}`;
    });
    return `(${values.join(', ')})`;
  });
  const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
  return { sql: `INSERT INTO "${repository.metadata.tableName}" (${names}) VALUES ${tuples.join(', ')}`, params };
}
