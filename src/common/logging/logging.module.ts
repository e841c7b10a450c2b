import { DynamicModule, Module } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import pino from 'pino';

/** The two settings logging reads (AppConfig has them), named here so common does not depend on config. */
export interface LoggingSettings {
  readonly logLevel: string;
  readonly appRole: string;
}

/**
 * Structured JSON logs, one line per request with its id. Bodies and query strings are
 * never logged (they may hold names); credentials are redacted from headers.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: LoggingSettings, stream?: Writable): DynamicModule {
    const destination = stream
      ? pino.multistream([
          { stream: process.stdout, level: config.logLevel },
          { stream, level: 'trace' },
        ])
      : undefined;
    return {
      module: LoggingModule,
      imports: [
        PinoLoggerModule.forRoot({
          pinoHttp: [
            {
              level: stream ? 'trace' : config.logLevel,
              genReqId: (req: IncomingMessage) => (req as { id?: string }).id ?? 'none',
              redact: {
                paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
                censor: '[redacted]',
              },
              serializers: {
                req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
                  id: req.id,
                  method: req.method,
                  path: req.url.split('?')[0],
                  remoteAddress: req.remoteAddress,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              base: { service: 'throughline', role: config.appRole },
            },
            destination,
          ].filter(Boolean) as never,
        }),
      ],
    };
  }
}
