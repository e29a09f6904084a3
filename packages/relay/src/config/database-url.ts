import { ConfigurationError } from '@kafka-streamer/core';
import type { Knex } from 'knex';

export type DatabaseClient = 'pg' | 'mysql2' | 'better-sqlite3';

const CLIENT_BY_SCHEME: Readonly<Record<string, DatabaseClient>> = {
  'postgres:': 'pg',
  'postgresql:': 'pg',
  'mysql:': 'mysql2',
  'mariadb:': 'mysql2',
  'sqlite:': 'better-sqlite3',
};

/** Knex client and connection of the outbox database. */
export interface DatabaseTarget {
  readonly client: DatabaseClient;
  /** Connection string for pg and mysql2, or `{ filename }` for SQLite. */
  readonly connection: string | { readonly filename: string };
}

// Matches `scheme://`; anything without one is a SQLite file path (which may contain ':' on Windows).
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

function sqliteFilename(url: string): string {
  // sqlite:///abs/file.db -> /abs/file.db; sqlite://rel/file.db -> rel/file.db.
  const filename = decodeURIComponent(url.replace(/^sqlite:\/\//i, ''));
  if (filename === '') {
    throw new ConfigurationError(`invalid --database-url ${JSON.stringify(url)}: expected sqlite:///path/file.db`);
  }
  return filename;
}

/**
 * Infers the Knex client and connection from `--database-url`. `client`, when
 * set, overrides the scheme, for example to use mysql2 with a custom scheme.
 */
export function parseDatabaseUrl(url: string, client?: DatabaseClient): DatabaseTarget {
  if (!HAS_SCHEME.test(url)) return { client: client ?? 'better-sqlite3', connection: { filename: url } };

  const scheme = `${url.slice(0, url.indexOf(':')).toLowerCase()}:`;
  const inferred = CLIENT_BY_SCHEME[scheme];
  const chosen = client ?? inferred;
  if (chosen === undefined) {
    throw new ConfigurationError(
      `invalid --database-url scheme ${JSON.stringify(scheme)}: expected postgres://, postgresql://, mysql://, ` +
        'mariadb:// or sqlite:///path, or set --database-client',
    );
  }

  if (chosen === 'better-sqlite3') {
    const filename = scheme === 'sqlite:' ? sqliteFilename(url) : url;
    return { client: chosen, connection: { filename } };
  }
  return { client: chosen, connection: url };
}

/** Knex settings for a target. Knex keeps SQLite on a single connection by default. */
export function knexConfigOf(target: DatabaseTarget): Knex.Config {
  if (target.client === 'better-sqlite3') {
    return { client: target.client, connection: { ...(target.connection as object) }, useNullAsDefault: true };
  }
  return { client: target.client, connection: target.connection as string, pool: { min: 0, max: 10 } };
}

/** Replaces the password inside a URL with `***`; text that is no URL comes back unchanged. */
export function redactUrlPassword(text: string): string {
  if (!HAS_SCHEME.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    url.password = '***';
    return url.toString();
  } catch {
    // Unparseable: cut out what sits between "user:" and "@".
    return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
  }
}
