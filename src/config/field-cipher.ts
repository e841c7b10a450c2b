import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppConfig } from './app-config';
import { DomainError } from '../common/errors/domain-error';

/** What a sealed record stores: which key wrapped its data key, the wrapped key, and the data. */
export interface SealedBox {
  keyId: string;
  wrappedKey: Buffer;
  ciphertext: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Envelope encryption for protected-party (victim/partner) data. Each record gets its own random
 * 256-bit data key; the data is sealed with AES-256-GCM under that key, bound to the record by
 * `context` (so a blob copied onto another row does not open), and the data key is itself sealed
 * under the key from FIELD_ENCRYPTION_KEY. Rotating the environment key only re-wraps data keys.
 */
@Injectable()
export class FieldCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;
  private readonly currentKey: Buffer;

  constructor(config: AppConfig) {
    const [current, ...previous] = config.fieldEncryptionKeys;
    this.currentKeyId = FieldCipher.keyIdOf(current);
    this.currentKey = current;
    for (const key of [current, ...previous]) this.keys.set(FieldCipher.keyIdOf(key), key);
  }

  /** A short public fingerprint of a key (never the key), stored beside each record. */
  static keyIdOf(key: Buffer): string {
    return createHash('sha256').update('throughline:field-key:').update(key).digest('hex').slice(0, 16);
  }

  get activeKeyId(): string {
    return this.currentKeyId;
  }

  seal(value: unknown, context: string): SealedBox {
    const dataKey = randomBytes(32);
    const ciphertext = encrypt(dataKey, Buffer.from(JSON.stringify(value), 'utf8'), `record:${context}`);
    const wrappedKey = encrypt(this.currentKey, dataKey, `data-key:${this.currentKeyId}`);
    return { keyId: this.currentKeyId, wrappedKey, ciphertext };
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the type it sealed
  open<T>(box: SealedBox, context: string): T {
    const dataKey = this.unwrap(box);
    return JSON.parse(decrypt(dataKey, box.ciphertext, `record:${context}`).toString('utf8')) as T;
  }

  /** The same record under the current key (data untouched), or null when it already is. */
  rewrap(box: SealedBox): SealedBox | null {
    if (box.keyId === this.currentKeyId) return null;
    const dataKey = this.unwrap(box);
    return {
      keyId: this.currentKeyId,
      wrappedKey: encrypt(this.currentKey, dataKey, `data-key:${this.currentKeyId}`),
      ciphertext: box.ciphertext,
    };
  }

  private unwrap(box: SealedBox): Buffer {
    const key = this.keys.get(box.keyId);
    if (!key) {
      throw new DomainError(
        'unavailable',
        'FIELD_KEY_UNAVAILABLE',
        'This record was sealed with an encryption key the server no longer has; see SECURITY.md, key rotation',
      );
    }
    return decrypt(key, box.wrappedKey, `data-key:${box.keyId}`);
  }
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
