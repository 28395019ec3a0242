import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseHealthDto, HealthResponseDto } from './health-response.dto';

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthResponseDto> {
    const database = await this.checkDatabase();
    return {
      status: database.status === 'connected' ? 'healthy' : 'unhealthy',
      version: this.config.version,
      timestamp: new Date(),
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      database,
    };
  }

  private async checkDatabase(): Promise<DatabaseHealthDto> {
    const type = this.config.database.type;
    const started = performance.now();
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'connected', type, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      return { status: 'unreachable', type, error: (err as Error).message };
    }
  }
}
