import 'reflect-metadata';
import { AppConfig } from '../config/app-config';
import { FieldCipher } from '../config/field-cipher';
import { rotateFieldKeys } from './field-key-rotation';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * `npm run keys:rotate` (or `node dist/src/database/rotate-field-keys.js`): run with the new key in
 * FIELD_ENCRYPTION_KEY and the old one in FIELD_ENCRYPTION_PREVIOUS_KEYS; afterwards the old key
 * can be dropped from the environment. See SECURITY.md.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl));
  await dataSource.initialize();
  try {
    const { rewrapped } = await rotateFieldKeys(dataSource, new FieldCipher(config));
    console.log(`Re-wrapped ${rewrapped} record key(s) under key ${FieldCipher.keyIdOf(config.fieldEncryptionKeys[0])}.`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
