import { DynamicModule, Global, Module } from '@nestjs/common';
import { ProgramClock } from './program-clock';
import { AppConfig } from './app-config';

/** Makes the validated AppConfig and the program clock injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, ProgramClock],
      exports: [AppConfig, ProgramClock],
    };
  }
}
