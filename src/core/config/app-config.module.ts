import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, validateEnvironment } from './app-config';

/** The validated settings, injectable everywhere as AppConfig. */
@Global()
@Module({})
export class AppConfigModule {
  /** Reads process.env when called, not at import time, so tests can boot apps with other settings. */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: validateEnvironment(process.env) }],
      exports: [AppConfig],
    };
  }
}
