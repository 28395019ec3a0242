import type { ObjectLiteral, Repository } from 'typeorm';

/**
 * An entity from a raw row (column names), as a `RETURNING *` gives it: one statement both
 * changes a row and reads it back, where the query builder would need a second round trip.
 */
export function entityFromRow<T extends ObjectLiteral>(repository: Repository<T>, row: Record<string, unknown>): T {
  const { driver } = repository.manager.connection;
  const entity = repository.create();
  for (const column of repository.metadata.columns) {
    if (!(column.databaseName in row)) continue;
    const value = driver.prepareHydratedValue(row[column.databaseName], column);
    column.setEntityValue(entity, column.type === 'timestamptz' && typeof value === 'string' ? new Date(value) : value);
  }
  return entity;
}
