import { AddressInfo, Server, Socket } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  messageId: string | null;
  from: string;
  to: string[];
  raw: string;
  /** When the server accepted it (ms since the epoch), for recovery-time figures. */
  receivedAt: number;
}

type Reply = { code: number; message: string } | null;

/**
 * A real SMTP server in-process. `answer` decides each message's reply, so tests can make it
 * refuse (451/550) or accept; accepted messages are kept for counting by Message-ID.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  answer: (mail: ReceivedMail, attempt: number) => Reply = () => null;
  private attempts = 0;
  private server: SMTPServer;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail: ReceivedMail = {
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            receivedAt: Date.now(),
          };
          const reply = this.answer(mail, ++this.attempts);
          if (reply) {
            const error = new Error(reply.message) as Error & { responseCode: number };
            error.responseCode = reply.code;
            callback(error);
            return;
          }
          this.received.push(mail);
          callback();
        });
      },
    });
  }

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    const net = (this.server as unknown as { server: Server }).server;
    net.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    return this.port;
  }

  /** Cuts every open connection, as a mail server restarting or timing out idle clients does. */
  dropConnections(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    return count;
  }

  get openConnections(): number {
    return this.sockets.size;
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
