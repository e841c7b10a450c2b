import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/environment';
import { Agency, AgencyKind } from '../modules/agencies/agency.entity';
import { AuditService } from '../modules/audit/audit.service';
import { PasswordHasher } from '../modules/users/password-hasher';
import { passwordProblems } from '../modules/users/password-policy';
import { Role } from '../common/auth/role.enum';
import { User } from '../modules/users/user.entity';
import { dataSourceOptions } from './data-source-options';
import { askHidden } from './terminal-prompt';

const USAGE = `Creates the program's first admin (the one who then invites everyone else).

  npm run admin:create -- --email <address> --name "<full name>" [--agency "<program agency>"] [--password-file <file>] [--another]

  --agency         the program agency's name: created if no program agency exists yet (required then);
                   with several program agencies, the one to add the admin to
  --password-file  read the password from this file (first line); or set ADMIN_PASSWORD;
                   otherwise it is asked on the terminal, twice, without echo
  --another        add an admin although one exists already (refused without it, so a second run
                   by accident changes nothing)

At least 12 characters; very common passwords and ones made of the name or address are refused.`;

class Refusal extends Error {}

interface Options {
  email: string;
  name: string;
  agency?: string;
  passwordFile?: string;
  another: boolean;
}

function readOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      'password-file': { type: 'string' },
      another: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const email = (values.email ?? '').trim().toLowerCase();
  const name = (values.name ?? '').trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new Refusal('--email must be an e-mail address');
  if (name.length < 2 || name.length > 200) throw new Refusal('--name must be the admin’s name (2 to 200 characters)');
  const agency = values.agency?.trim();
  if (agency !== undefined && (agency.length < 2 || agency.length > 200))
    throw new Refusal('--agency must be the program agency’s name (2 to 200 characters)');
  return { email, name, agency, passwordFile: values['password-file'], another: values.another };
}

/** From ADMIN_PASSWORD, the file, or the terminal (asked until acceptable, three tries). */
async function readPassword(options: Options): Promise<string> {
  const context = { email: options.email, name: options.name };
  const judge = (password: string) => {
    const problems = passwordProblems(password, context);
    if (problems.length) throw new Refusal(`The password is refused: ${problems[0]}.`);
    return password;
  };
  if (process.env.ADMIN_PASSWORD) return judge(process.env.ADMIN_PASSWORD);
  if (options.passwordFile) {
    let text: string;
    try {
      text = readFileSync(options.passwordFile, 'utf8');
    } catch (error) {
      throw new Refusal(
        `Cannot read --password-file ${options.passwordFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    return judge(text.split(/\r?\n/)[0]);
  }
  if (!process.stdin.isTTY) throw new Refusal('No terminal to ask for the password: set ADMIN_PASSWORD or pass --password-file');
  for (let attempt = 1; ; attempt++) {
    const password = await askHidden('Password for the new admin: ');
    const problems = passwordProblems(password, context);
    if (problems.length) {
      process.stderr.write(`${problems[0]}.\n`);
    } else if ((await askHidden('The same password again: ')) !== password) {
      process.stderr.write('The two passwords are not the same.\n');
    } else {
      return password;
    }
    if (attempt === 3) throw new Refusal('No acceptable password after three tries; nothing was changed.');
  }
}

async function programAgency(manager: EntityManager, name: string | undefined): Promise<{ agency: Agency; created: boolean }> {
  const programs = await manager.find(Agency, { where: { kind: AgencyKind.Program }, order: { createdAt: 'ASC' } });
  if (name) {
    const named = programs.find((agency) => agency.name.toLowerCase() === name.toLowerCase());
    if (named) return { agency: named, created: false };
    if (programs.length)
      throw new Refusal(`No program agency is called "${name}"; there is: ${programs.map((agency) => `"${agency.name}"`).join(', ')}`);
    return { agency: await manager.save(manager.create(Agency, { name, kind: AgencyKind.Program, noticeEmail: null })), created: true };
  }
  if (programs.length === 1) return { agency: programs[0], created: false };
  if (!programs.length)
    throw new Refusal('There is no program agency yet: name it with --agency "<your program’s name>" and it is created with the admin');
  throw new Refusal(
    `There are ${programs.length} program agencies: say which with --agency (${programs.map((agency) => `"${agency.name}"`).join(', ')})`,
  );
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`admin:create: ${(error as Error).message}\n\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`admin:create: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
  const dataSource = new DataSource(
    dataSourceOptions(config.databaseUrl, { extra: { max: 2, application_name: 'throughline-admin-create' } }),
  );
  await dataSource.initialize();
  try {
    // Checked before the password is asked, so a second run by accident stops at once.
    const admins = await dataSource.getRepository(User).count({ where: { role: Role.Admin } });
    if (admins > 0 && !options.another) {
      throw new Refusal(
        `The program already has ${admins === 1 ? 'an admin' : `${admins} admins`}; nothing was changed. To add another on purpose, run again with --another (or have an admin invite one from the users page).`,
      );
    }
    if (await dataSource.getRepository(User).existsBy({ email: options.email }))
      throw new Refusal(`A user with the address ${options.email} exists already; nothing was changed.`);
    const password = await readPassword(options);
    const passwordHash = await PasswordHasher.hash(password);
    const audit = new AuditService(dataSource);
    const outcome = await dataSource.transaction(async (manager) => {
      const { agency, created } = await programAgency(manager, options.agency);
      if (created)
        await audit.record(
          {
            action: 'agency.create',
            recordType: 'agency',
            recordId: agency.id,
            actorUserId: null,
            actorRole: null,
            details: { kind: agency.kind, via: 'admin:create' },
          },
          manager,
        );
      const user = await manager.save(
        manager.create(User, {
          email: options.email,
          name: options.name,
          role: Role.Admin,
          agencyId: agency.id,
          passwordHash,
          active: true,
        }),
      );
      await audit.record(
        {
          action: 'user.create',
          recordType: 'user',
          recordId: user.id,
          actorUserId: null,
          actorRole: null,
          details: { role: user.role, agencyId: agency.id, via: 'admin:create' },
        },
        manager,
      );
      return { agency, created, user };
    });
    process.stdout.write(
      [
        `Created the admin ${outcome.user.email} of ${outcome.created ? 'the new program agency' : 'the program agency'} "${outcome.agency.name}".`,
        `Sign in at ${config.publicUrl}/login${config.secondFactorRoles.includes(Role.Admin) ? ' (you set up the second factor there first)' : ''}, then invite your staff.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      process.stderr.write(`admin:create: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`admin:create failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
