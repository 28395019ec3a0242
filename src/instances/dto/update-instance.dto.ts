import { PartialType } from '@nestjs/swagger';
import { InstanceSettingsDto } from './create-instance.dto';

/** Fields to change; absent fields stay as they are, `null` clears an optional field. */
export class UpdateInstanceDto extends PartialType(InstanceSettingsDto) {}
