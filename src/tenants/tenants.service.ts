import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { CreateTenantDto, TenantResponseDto } from './dto/tenant.dto';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  async create(dto: CreateTenantDto): Promise<TenantResponseDto> {
    if (await this.tenants.exists({ where: { name: dto.name } })) {
      throw new ConflictException(`A tenant named '${dto.name}' already exists`);
    }
    const tenant = await this.tenants.save(this.tenants.create({ id: randomUUID(), name: dto.name }));
    return toTenantResponse(tenant);
  }

  async list(skip: number, limit: number): Promise<TenantResponseDto[]> {
    const rows = await this.tenants.find({ order: { createdAt: 'ASC', id: 'ASC' }, skip, take: limit });
    return rows.map(toTenantResponse);
  }

  async get(id: string): Promise<TenantResponseDto> {
    return toTenantResponse(await this.require(id));
  }

  async require(id: string): Promise<Tenant> {
    const tenant = await this.tenants.findOneBy({ id });
    if (!tenant) throw new NotFoundException(`Tenant '${id}' not found`);
    return tenant;
  }
}

const toTenantResponse = (t: Tenant): TenantResponseDto => ({ id: t.id, name: t.name, created_at: t.createdAt });
