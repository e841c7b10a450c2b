import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3), the OWASP-recommended family. */
export const PasswordHasher = {
  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  },
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

/** Verified against when the e-mail is unknown, so timing does not reveal which accounts exist. */
export const UNKNOWN_USER_HASH = '$argon2id$v=19$m=65536,t=3,p=4$5WTspi7UXDP/sXs0WMfKmQ$yHvCfKAmmRwv/RB4oUn63VYyiPByoIdWC+Ko2JPLzoU';
