import type { Schema } from '../../../database/migrate';

/** The memory schema (see `migrate`): conversation turns, searchable by full text. */
export const MEMORY_SCHEMA: Schema = {
  versionTable: 'memory_schema_migrations',
  // Any constant will do, as long as nothing else in the database takes the same lock.
  lock: 7_303_130_013,
  migrations: [
    `CREATE TABLE memory_turns (
       id bigserial PRIMARY KEY,
       caller text NOT NULL,
       user_id text NOT NULL,
       session_id text NOT NULL,
       task text NOT NULL,
       response text NOT NULL,
       chars integer NOT NULL,
       created_at timestamptz NOT NULL,
       search tsvector GENERATED ALWAYS AS (to_tsvector('english', task || ' ' || response)) STORED
     );
     CREATE INDEX memory_turns_by_session ON memory_turns (caller, user_id, session_id, id DESC);
     CREATE INDEX memory_turns_by_user ON memory_turns (caller, user_id, id DESC);
     CREATE INDEX memory_turns_search ON memory_turns USING GIN (search);`,
  ],
};
