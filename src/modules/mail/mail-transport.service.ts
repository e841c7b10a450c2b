import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { SendMailOptions, SentMessageInfo, Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';
import { createSmtpTransport } from './smtp-transport';

/** The one pool of SMTP connections every mail and notice of this process goes out on. */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private transporter: Transporter | null = null;

  constructor(private readonly config: AppConfig) {}

  send(message: SendMailOptions): Promise<SentMessageInfo> {
    this.transporter ??= createSmtpTransport(this.config);
    return this.transporter.sendMail(message);
  }

  /** The pool's idle connections close with the process, so shutdown waits on no mail server. */
  onModuleDestroy(): void {
    this.transporter?.close();
    this.transporter = null;
  }
}
