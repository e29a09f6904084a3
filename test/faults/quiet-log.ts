/** A Knex `log` option that drops Knex's console lines: failed connection attempts are expected while a database restarts. */
export const QUIET_KNEX_LOG = { warn() {}, error() {}, debug() {}, deprecate() {} };
