import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from './environment';

export type AppConfig = ConfigService<EnvironmentVariables, true>;
