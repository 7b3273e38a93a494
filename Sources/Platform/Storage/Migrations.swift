import Foundation
import SQLKit

/// The schema, as numbered steps that run once each, in order, at start and by
/// `reclaim-server migrate`. A step never changes once released; a later one alters.
///
/// Conventions, so one SQL code path reads both dialects: times are whole Unix seconds
/// in BIGINT, flags are INTEGER 0/1, identifiers are random TEXT, JSON is TEXT.
enum Migrations {
    struct Step: Sendable {
        let version: Int
        let name: String
        let statements: @Sendable (Database.Dialect) -> [String]
    }

    static let steps: [Step] = [
        Step(version: 1, name: "accounts, authority, audit log") { _ in
            [
                """
                CREATE TABLE companies (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  certified INTEGER NOT NULL DEFAULT 0,
                  certified_at BIGINT,
                  created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE accounts (
                  id TEXT PRIMARY KEY,
                  email TEXT NOT NULL UNIQUE,
                  name TEXT NOT NULL,
                  role TEXT NOT NULL,
                  company_id TEXT REFERENCES companies(id),
                  password_hash TEXT NOT NULL,
                  language TEXT NOT NULL,
                  confirmed INTEGER NOT NULL DEFAULT 0,
                  created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE sessions (
                  token_hash TEXT PRIMARY KEY,
                  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                  created_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL)
                """,
                "CREATE INDEX sessions_by_account ON sessions(account_id)",
                """
                CREATE TABLE api_tokens (
                  id TEXT PRIMARY KEY,
                  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                  name TEXT NOT NULL,
                  token_hash TEXT NOT NULL UNIQUE,
                  created_at BIGINT NOT NULL,
                  last_used_at BIGINT)
                """,
                """
                CREATE TABLE confirmations (
                  token_hash TEXT PRIMARY KEY,
                  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                  expires_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE throttle (
                  bucket TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  window_start BIGINT NOT NULL,
                  hits INTEGER NOT NULL,
                  PRIMARY KEY (bucket, subject))
                """,
                """
                CREATE TABLE devices (
                  serial TEXT PRIMARY KEY,
                  model TEXT NOT NULL,
                  mac TEXT NOT NULL,
                  enrollment TEXT NOT NULL,
                  enrolled_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE issuances (
                  id TEXT PRIMARY KEY,
                  kind TEXT NOT NULL,
                  serial TEXT NOT NULL,
                  challenge_nonce TEXT NOT NULL,
                  requested_by TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  case_id TEXT,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX issuances_by_serial ON issuances(serial)",
                """
                CREATE TABLE audit_log (
                  seq BIGINT PRIMARY KEY,
                  at BIGINT NOT NULL,
                  actor TEXT NOT NULL,
                  action TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  details TEXT NOT NULL,
                  previous_hash TEXT NOT NULL,
                  hash TEXT NOT NULL)
                """,
            ]
        },
        // Devices enrolled before this step have no sealed secret; issuing for them agrees
        // the secret again, which gives the same answer.
        Step(version: 2, name: "sealed per-device secrets") { _ in
            ["ALTER TABLE devices ADD COLUMN sealed_secret TEXT"]
        },
        // Hand-ins answered "received" wait here, not in memory, so none is ever dropped.
        Step(version: 3, name: "reserved-e-mail recovery queue") { _ in
            [
                """
                CREATE TABLE email_recovery_jobs (
                  id TEXT PRIMARY KEY,
                  challenge TEXT NOT NULL,
                  source TEXT NOT NULL,
                  received_at BIGINT NOT NULL,
                  claimed_at BIGINT)
                """,
                "CREATE INDEX email_recovery_jobs_by_time ON email_recovery_jobs(received_at)",
            ]
        },
        // Entries before this step are sealed by the server at its next start.
        Step(version: 4, name: "audit entries sealed with a key outside the database") { _ in
            ["ALTER TABLE audit_log ADD COLUMN mac TEXT"]
        },
        // Support cases (F5, F6): the case as JSON beside the columns it is looked up by,
        // its label photo, and the portal's message centre.
        Step(version: 5, name: "support cases, label photos, notifications") { dialect in
            [
                """
                CREATE TABLE support_cases (
                  id TEXT PRIMARY KEY,
                  company_id TEXT NOT NULL REFERENCES companies(id),
                  opened_by TEXT NOT NULL REFERENCES accounts(id),
                  serial TEXT NOT NULL,
                  state TEXT NOT NULL,
                  checked INTEGER NOT NULL,
                  awaits_review INTEGER NOT NULL,
                  photo_hash TEXT NOT NULL,
                  due_at BIGINT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  record TEXT NOT NULL)
                """,
                "CREATE INDEX support_cases_by_company ON support_cases(company_id, created_at)",
                "CREATE INDEX support_cases_by_photo ON support_cases(photo_hash)",
                "CREATE INDEX support_cases_unchecked ON support_cases(checked, created_at)",
                "CREATE INDEX support_cases_on_desk ON support_cases(awaits_review, created_at)",
                """
                CREATE TABLE case_photos (
                  case_id TEXT PRIMARY KEY REFERENCES support_cases(id),
                  media_type TEXT NOT NULL,
                  bytes \(dialect == .postgres ? "BYTEA" : "BLOB") NOT NULL)
                """,
                """
                CREATE TABLE notifications (
                  id TEXT PRIMARY KEY,
                  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                  case_id TEXT NOT NULL,
                  event TEXT NOT NULL,
                  created_at BIGINT NOT NULL,
                  read_at BIGINT)
                """,
                "CREATE INDEX notifications_by_account ON notifications(account_id, created_at)",
            ]
        },
        Step(version: 6, name: "cloud links, device commands, owners' sites and shares") { _ in
            [
                """
                CREATE TABLE sites (
                  id TEXT PRIMARY KEY,
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  name TEXT NOT NULL,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX sites_by_owner ON sites(owner_id)",
                """
                CREATE TABLE owned_devices (
                  serial TEXT PRIMARY KEY,
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  site_id TEXT NOT NULL REFERENCES sites(id),
                  name TEXT NOT NULL,
                  added_at BIGINT NOT NULL)
                """,
                "CREATE INDEX owned_devices_by_owner ON owned_devices(owner_id)",
                "CREATE INDEX owned_devices_by_site ON owned_devices(site_id)",
                """
                CREATE TABLE site_shares (
                  id TEXT PRIMARY KEY,
                  site_id TEXT NOT NULL REFERENCES sites(id),
                  company_id TEXT NOT NULL REFERENCES companies(id),
                  may_reset INTEGER NOT NULL,
                  state TEXT NOT NULL,
                  requested_by TEXT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX site_shares_by_site ON site_shares(site_id, state)",
                "CREATE INDEX site_shares_by_company ON site_shares(company_id, state)",
                """
                CREATE TABLE device_links (
                  serial TEXT PRIMARY KEY,
                  instance TEXT NOT NULL,
                  link_id TEXT NOT NULL,
                  online INTEGER NOT NULL,
                  since BIGINT NOT NULL,
                  lan_address TEXT NOT NULL,
                  remote_address TEXT NOT NULL,
                  firmware TEXT NOT NULL,
                  activated INTEGER NOT NULL,
                  last_seen BIGINT NOT NULL)
                """,
                """
                CREATE TABLE device_commands (
                  id TEXT PRIMARY KEY,
                  serial TEXT NOT NULL,
                  request_id TEXT NOT NULL,
                  message TEXT NOT NULL,
                  state TEXT NOT NULL,
                  code TEXT,
                  reason TEXT,
                  expires_at BIGINT NOT NULL,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX device_commands_pending ON device_commands(serial, state, expires_at)",
            ]
        },
        Step(version: 7, name: "owner-approved reset requests") { _ in
            [
                """
                CREATE TABLE reset_requests (
                  id TEXT PRIMARY KEY,
                  serial TEXT NOT NULL,
                  company_id TEXT NOT NULL REFERENCES companies(id),
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  state TEXT NOT NULL,
                  command_id TEXT,
                  expires_at BIGINT NOT NULL,
                  created_at BIGINT NOT NULL,
                  record TEXT NOT NULL)
                """,
                "CREATE INDEX reset_requests_by_serial ON reset_requests(serial, state)",
                "CREATE INDEX reset_requests_by_company ON reset_requests(company_id, created_at)",
                "CREATE INDEX reset_requests_by_owner ON reset_requests(owner_id, created_at)",
                "CREATE INDEX reset_requests_by_command ON reset_requests(command_id)",
            ]
        },
        Step(version: 8, name: "device history, authorisation requests, second-hand claims; device_links with link_id") { _ in
            [
                // Databases made by the first version of step 6 have device_links without
                // link_id. The table holds only who is linked now, which every device says
                // again when it links: it is made anew rather than altered.
                "DROP TABLE device_links",
                """
                CREATE TABLE device_links (
                  serial TEXT PRIMARY KEY,
                  instance TEXT NOT NULL,
                  link_id TEXT NOT NULL,
                  online INTEGER NOT NULL,
                  since BIGINT NOT NULL,
                  lan_address TEXT NOT NULL,
                  remote_address TEXT NOT NULL,
                  firmware TEXT NOT NULL,
                  activated INTEGER NOT NULL,
                  last_seen BIGINT NOT NULL)
                """,
                """
                CREATE TABLE device_events (
                  id TEXT PRIMARY KEY,
                  serial TEXT NOT NULL,
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  kind TEXT NOT NULL,
                  method TEXT NOT NULL,
                  source TEXT NOT NULL,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX device_events_by_serial ON device_events(serial, created_at)",
                """
                CREATE TABLE access_requests (
                  id TEXT PRIMARY KEY,
                  company_id TEXT NOT NULL REFERENCES companies(id),
                  requested_by TEXT NOT NULL REFERENCES accounts(id),
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  note TEXT NOT NULL,
                  may_reset INTEGER NOT NULL,
                  state TEXT NOT NULL,
                  share_id TEXT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX access_requests_by_owner ON access_requests(owner_id, state)",
                "CREATE INDEX access_requests_by_company ON access_requests(company_id, created_at)",
                """
                CREATE TABLE device_claims (
                  id TEXT PRIMARY KEY,
                  serial TEXT NOT NULL,
                  claimant_id TEXT NOT NULL REFERENCES accounts(id),
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  site_id TEXT NOT NULL REFERENCES sites(id),
                  state TEXT NOT NULL,
                  decides_at BIGINT NOT NULL,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX device_claims_by_serial ON device_claims(serial, state)",
                "CREATE INDEX device_claims_due ON device_claims(state, decides_at)",
            ]
        },
        // A link mailed for one purpose never works for another: a sign-up confirmation is
        // not a password reset.
        Step(version: 9, name: "confirmation links with a purpose; distributors' certification codes") { _ in
            [
                "ALTER TABLE confirmations ADD COLUMN purpose TEXT NOT NULL DEFAULT 'signUp'",
                // A code is kept only as its SHA-256 hash; the hint (its last characters) lets
                // the distributor tell their codes apart.
                """
                CREATE TABLE certification_codes (
                  code_hash TEXT PRIMARY KEY,
                  hint TEXT NOT NULL,
                  issued_by TEXT NOT NULL REFERENCES accounts(id),
                  issued_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL,
                  redeemed_by TEXT REFERENCES companies(id),
                  redeemed_at BIGINT)
                """,
                "CREATE INDEX certification_codes_by_issuer ON certification_codes(issued_by, issued_at)",
            ]
        },
        // A colleague joins a company through a link mailed to their address; only its hash
        // is kept, and only the newest invitation for an address works.
        Step(version: 10, name: "invitations to join an installer company") { _ in
            [
                """
                CREATE TABLE company_invitations (
                  id TEXT PRIMARY KEY,
                  token_hash TEXT NOT NULL UNIQUE,
                  company_id TEXT NOT NULL REFERENCES companies(id),
                  email TEXT NOT NULL,
                  invited_by TEXT NOT NULL REFERENCES accounts(id),
                  created_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL,
                  accepted_by TEXT REFERENCES accounts(id),
                  accepted_at BIGINT,
                  revoked_at BIGINT)
                """,
                "CREATE INDEX company_invitations_by_company ON company_invitations(company_id, created_at)",
            ]
        },
        // Owners' support tickets, their messages and their files. A file's bytes are
        // emptied when the ticket's retention period ends; the row stays as the record.
        Step(version: 11, name: "owners' support tickets") { dialect in
            [
                """
                CREATE TABLE owner_tickets (
                  id TEXT PRIMARY KEY,
                  owner_id TEXT NOT NULL REFERENCES accounts(id),
                  serial TEXT NOT NULL,
                  model TEXT NOT NULL,
                  challenge TEXT NOT NULL,
                  challenge_expires_at BIGINT NOT NULL,
                  on_behalf_of_client INTEGER NOT NULL,
                  result_kind TEXT NOT NULL,
                  state TEXT NOT NULL,
                  reviewer TEXT,
                  reject_text TEXT,
                  decided_at BIGINT,
                  files_deleted_at BIGINT,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX owner_tickets_by_owner ON owner_tickets(owner_id, created_at)",
                "CREATE INDEX owner_tickets_by_state ON owner_tickets(state, updated_at)",
                """
                CREATE TABLE ticket_messages (
                  id TEXT PRIMARY KEY,
                  ticket_id TEXT NOT NULL REFERENCES owner_tickets(id),
                  author_id TEXT NOT NULL REFERENCES accounts(id),
                  from_reviewer INTEGER NOT NULL,
                  body TEXT NOT NULL,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX ticket_messages_by_ticket ON ticket_messages(ticket_id, created_at)",
                """
                CREATE TABLE ticket_files (
                  id TEXT PRIMARY KEY,
                  ticket_id TEXT NOT NULL REFERENCES owner_tickets(id),
                  message_id TEXT,
                  purpose TEXT NOT NULL,
                  name TEXT NOT NULL,
                  media_type TEXT NOT NULL,
                  size BIGINT NOT NULL,
                  sha256 TEXT NOT NULL,
                  bytes \(dialect == .postgres ? "BYTEA" : "BLOB"),
                  deleted_at BIGINT,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX ticket_files_by_ticket ON ticket_files(ticket_id, created_at)",
            ]
        },
    ]

    /// Applies every step the database has not had yet; returns the versions applied.
    @discardableResult
    static func run(on database: Database, now: Date = Date()) async throws -> [Int] {
        try await database.write { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            ).run()
        }
        return try await database.transaction { db in
            if database.dialect == .postgres {
                // Several servers may start at once against one database: one migrates, the others wait.
                try await db.raw("SELECT pg_advisory_xact_lock(7243001)").run()
            }
            let done = Set(try await db.select().column("version").from("schema_migrations").all(decodingColumn: "version", as: Int.self))
            var applied: [Int] = []
            for step in steps where !done.contains(step.version) {
                for statement in step.statements(database.dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(step.version), SQLBind(step.name), SQLBind(Int64(now.timeIntervalSince1970)))
                    .run()
                applied.append(step.version)
            }
            return applied
        }
    }

    /// The newest step the database has had, or 0.
    static func currentVersion(of database: Database) async throws -> Int {
        try await database.read { db in
            let versions = try await db.select().column("version").from("schema_migrations")
                .all(decodingColumn: "version", as: Int.self)
            return versions.max() ?? 0
        }
    }

    static var latestVersion: Int { steps.map(\.version).max() ?? 0 }
}
