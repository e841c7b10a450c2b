import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Socket, connect } from 'node:net';
import { AppConfig } from '../../config/app-config';

/**
 * Whether the SMTP server greets us with 220 within a second; nothing is sent. Reported, never
 * failing readiness: the outbox is built to ride out a mail outage, and taking the API out of
 * service for one would stop staff from working for no gain. The backlog age is the signal.
 */
@Injectable()
export class SmtpHealthIndicator {
  constructor(
    private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'smtp') {
    const indicator = this.indicators.check(key);
    try {
      await this.greeting();
      return indicator.up({ reachable: true });
    } catch (error) {
      return indicator.up({ reachable: false, message: (error as Error).message });
    }
  }

  private greeting(): Promise<void> {
    const url = new URL(this.config.smtpUrl);
    return new Promise((resolve, reject) => {
      const socket: Socket = connect({ host: url.hostname, port: Number(url.port) });
      const fail = (message: string) => {
        socket.destroy();
        reject(new Error(message));
      };
      socket.setTimeout(1_000, () => fail('SMTP server did not greet within 1 s'));
      socket.once('error', (error) => fail(`SMTP server unreachable: ${error.message}`));
      socket.once('data', (chunk) => {
        const line = chunk.toString('utf8');
        socket.end('QUIT\r\n');
        socket.destroy();
        if (line.startsWith('220')) resolve();
        else reject(new Error(`SMTP server answered: ${line.trim().slice(0, 120)}`));
      });
    });
  }
}
