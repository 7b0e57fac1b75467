#include "store/schema/migrations.h"

#include <array>

#include <fmt/format.h>

#include "store/sqlite/connection.h"

namespace overcast::store {
namespace {

// Keep the SQL to the dialect SQLite and PostgreSQL share (INTEGER, TEXT, BLOB; no
// AUTOINCREMENT tricks) so the PostgreSQL backend can reuse it.
constexpr std::array kMigrations = {
    Migration{1, "accounts, access keys, jobs, meta", R"sql(
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
CREATE TABLE access_keys (
  access_key_id     TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  account_id        TEXT NOT NULL REFERENCES accounts(account_id),
  is_admin          INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE INDEX access_keys_by_account ON access_keys(account_id);
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  target       TEXT NOT NULL,
  payload      TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_run_at  INTEGER NOT NULL,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, next_run_at);
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
    Migration{2, "sqs queues and messages", R"sql(
CREATE TABLE sqs_queues (
  queue_id    INTEGER PRIMARY KEY,
  account_id  TEXT NOT NULL,
  region      TEXT NOT NULL,
  name        TEXT NOT NULL,
  settings    TEXT NOT NULL,
  tags        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  UNIQUE (account_id, region, name)
);
CREATE TABLE sqs_messages (
  queue_id         INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  message_id       BLOB NOT NULL,
  body             BLOB NOT NULL,
  attributes       BLOB,
  md5_body         BLOB NOT NULL,
  md5_attributes   BLOB,
  sender_id        TEXT NOT NULL,
  sent_at          INTEGER NOT NULL,
  visible_at       INTEGER NOT NULL,
  receive_count    INTEGER NOT NULL DEFAULT 0,
  first_receive_at INTEGER NOT NULL DEFAULT 0,
  group_id         TEXT,
  dedup_id         TEXT,
  PRIMARY KEY (queue_id, seq)
);
)sql"},
    Migration{3, "sqs dead-letter source", R"sql(
ALTER TABLE sqs_messages ADD COLUMN dlq_source INTEGER NOT NULL DEFAULT 0;
)sql"},
    Migration{4, "sqs message move tasks", R"sql(
CREATE TABLE sqs_move_tasks (
  handle               TEXT PRIMARY KEY,
  account_id           TEXT NOT NULL,
  source_queue_id      INTEGER NOT NULL,
  destination_queue_id INTEGER NOT NULL,
  source_arn           TEXT NOT NULL,
  destination_arn      TEXT NOT NULL,
  rate                 INTEGER NOT NULL,
  status               TEXT NOT NULL,
  failure_reason       TEXT NOT NULL,
  moved                INTEGER NOT NULL,
  to_move              INTEGER NOT NULL,
  started_at           INTEGER NOT NULL
);
)sql"},
    Migration{5, "sqs trace header", R"sql(
ALTER TABLE sqs_messages ADD COLUMN trace_header TEXT;
)sql"},
    Migration{6, "sns topics and subscriptions", R"sql(
CREATE TABLE sns_topics (
  arn        TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  name       TEXT NOT NULL,
  attributes TEXT NOT NULL,
  tags       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sns_subscriptions (
  arn        TEXT PRIMARY KEY,
  topic_arn  TEXT NOT NULL,
  owner      TEXT NOT NULL,
  protocol   TEXT NOT NULL,
  endpoint   TEXT NOT NULL,
  confirmed  INTEGER NOT NULL,
  token      TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions(topic_arn);
)sql"},
    Migration{7, "ec2 resources", R"sql(
CREATE TABLE ec2_resources (
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  id         TEXT NOT NULL,
  kind       TEXT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (account_id, region, id)
);
)sql"},
    Migration{8, "service quotas", R"sql(
CREATE TABLE service_quotas (
  account_id   TEXT NOT NULL,
  region       TEXT NOT NULL,
  service_code TEXT NOT NULL,
  quota_code   TEXT NOT NULL,
  kind         TEXT NOT NULL,
  value        REAL NOT NULL,
  PRIMARY KEY (account_id, region, service_code, quota_code, kind)
);
CREATE TABLE service_quota_requests (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  doc        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql"},
};

}  // namespace

std::span<const Migration> builtinMigrations() { return kMigrations; }

int64_t latestVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace overcast::store

namespace overcast::store::sqlite {

Result<int64_t> applyMigrations(Connection& c, std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int64_t>(i + 1)) {
      return Error(ErrorCode::InternalFailure,
                   fmt::format("schema: migration #{} has version {}; versions must be 1, 2, 3...", i + 1,
                               migrations[i].version));
    }
  }
  // IMMEDIATE: take the write lock before reading the version, so two openers cannot both
  // decide to run the same migration.
  if (auto r = c.execScript("BEGIN IMMEDIATE"); !r) return r.error();
  auto fail = [&](Error e) -> Result<int64_t> {
    (void)c.execScript("ROLLBACK");
    return e;
  };
  auto rows = c.query("PRAGMA user_version", {});
  if (!rows) return fail(rows.error());
  const int64_t found = rows->empty() ? 0 : rows->front().integer(0);
  const int64_t latest = latestVersion(migrations);
  if (found > latest) {
    return fail(Error(ErrorCode::InternalFailure,
                      fmt::format("schema: the database is at schema version {}, newer than this overcast "
                                  "binary supports (version {}); use a newer overcast",
                                  found, latest)));
  }
  for (const Migration& m : migrations) {
    if (m.version <= found) continue;
    if (auto r = c.execScript(m.sql); !r) {
      return fail(Error(ErrorCode::InternalFailure,
                        fmt::format("schema: migration {} ({}) failed: {}", m.version, m.name, r.error().message())));
    }
  }
  // PRAGMA takes no bound parameters; the version is an integer we produced.
  if (auto r = c.execScript(fmt::format("PRAGMA user_version = {}", latest)); !r) return fail(r.error());
  if (auto r = c.execScript("COMMIT"); !r) return fail(r.error());
  return found;
}

}  // namespace overcast::store::sqlite
