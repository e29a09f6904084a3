/** Exit codes of `kafka-streamer-relay`; documented in the README and part of its interface. */
export const EXIT_OK = 0;
/** A runtime failure: the database is unreachable at start, a migration failed, the relay failed. */
export const EXIT_FAILURE = 1;
/** Invalid usage or configuration, found before anything connects. */
export const EXIT_USAGE = 2;
/** A second SIGTERM or SIGINT forced the exit before the graceful stop finished (128 + SIGINT). */
export const EXIT_FORCED = 130;
