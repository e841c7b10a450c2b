import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * P3's in-process SMTP server: accepts every message and counts it (with its size). Unlike the
 * tests' sink it skips the reverse DNS lookup of each connection, which on this machine costs
 * more than the rest of a delivery and would make the server, not the sender, the bottleneck.
 */
export class BenchSmtpSink {
  accepted = 0;
  bytes = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      let size = 0;
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('end', () => {
        this.accepted += 1;
        this.bytes += size;
        callback();
      });
    },
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }

  get port(): number {
    return (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
