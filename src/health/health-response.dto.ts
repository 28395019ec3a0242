export class DatabaseHealthDto {
  /** `connected` or `unreachable`. */
  status!: 'connected' | 'unreachable';
  /** `sqlite` or `postgres`. */
  type!: string;
  /** Round-trip of a trivial query, in milliseconds. */
  latency_ms?: number;
  error?: string;
}

export class HealthResponseDto {
  status!: 'healthy' | 'unhealthy';
  version!: string;
  timestamp!: Date;
  uptime_seconds!: number;
  database!: DatabaseHealthDto;
}
