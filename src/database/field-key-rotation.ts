import { DataSource } from 'typeorm';
import { FieldCipher } from '../config/field-cipher';

/** Every sealed column set, by table: the key id, the wrapped data key, the id column. */
const SEALED: ReadonlyArray<{ table: string; keyId: string; wrappedKey: string; id?: string }> = [
  { table: 'protected_parties', keyId: 'key_id', wrappedKey: 'wrapped_key' },
  { table: 'victim_notifications', keyId: 'note_key_id', wrappedKey: 'note_wrapped_key' },
  // A mail waiting in the outbox holds its recipient and words sealed until it is sent.
  { table: 'outgoing_mails', keyId: 'key_id', wrappedKey: 'wrapped_key' },
  // The users' TOTP secrets (one row per user).
  { table: 'second_factors', keyId: 'key_id', wrappedKey: 'wrapped_key', id: 'user_id' },
];

/**
 * Re-wraps every record's data key under the current FIELD_ENCRYPTION_KEY, in batches, each batch
 * one transaction. The sealed data itself is not touched, so this is quick and a crash part-way
 * leaves every record readable with the old or the new key. Safe to run again.
 */
export async function rotateFieldKeys(dataSource: DataSource, cipher: FieldCipher, batchSize = 500): Promise<{ rewrapped: number }> {
  let rewrapped = 0;
  for (const sealed of SEALED) {
    for (;;) {
      const done = await dataSource.transaction(async (manager) => {
        const rows = await manager.query<Array<{ id: string; key_id: string; wrapped_key: Buffer }>>(
          `SELECT ${sealed.id ?? 'id'} AS id, ${sealed.keyId} AS key_id, ${sealed.wrappedKey} AS wrapped_key FROM ${sealed.table}
            WHERE ${sealed.keyId} IS NOT NULL AND ${sealed.keyId} <> $1 ORDER BY ${sealed.id ?? 'id'} LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [cipher.activeKeyId, batchSize],
        );
        for (const row of rows) {
          const next = cipher.rewrap({ keyId: row.key_id, wrappedKey: row.wrapped_key, ciphertext: Buffer.alloc(0) });
          // The statement chose rows under another key, so each is re-wrapped.
          if (!next) throw new Error(`${sealed.table} ${row.id} is already under the current key`);
          await manager.query(
            `UPDATE ${sealed.table} SET ${sealed.keyId} = $2, ${sealed.wrappedKey} = $3 WHERE ${sealed.id ?? 'id'} = $1`,
            [row.id, next.keyId, next.wrappedKey],
          );
        }
        rewrapped += rows.length;
        return rows.length < batchSize;
      });
      if (done) break;
    }
  }
  return { rewrapped };
}
