/// Versioned schema migrations, portable between SQLite and PostgreSQL (BIGINT and TEXT only).
/// A migration is applied once, in its own transaction, and recorded in `schema_migrations`.
enum Schema {
    struct Migration: Sendable {
        var version: Int64
        var statements: [String]
        /// Runs after `statements`, in the same transaction: fills what SQL alone cannot (hashes).
        var backfill: (@Sendable (any SQLSession) async throws(LedgerError) -> Void)? = nil
    }

    static let migrations: [Migration] = [
        Migration(version: 1, statements: [
            "CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL)",
            """
            CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, currency TEXT NOT NULL,
              custodian TEXT REFERENCES agents(id), fund_agent TEXT NOT NULL REFERENCES agents(id))
            """,
            """
            CREATE TABLE work_types (project TEXT NOT NULL REFERENCES projects(id), name TEXT NOT NULL,
              rate TEXT NOT NULL, PRIMARY KEY (project, name))
            """,
            """
            CREATE TABLE rate_overrides (project TEXT NOT NULL, work_type TEXT NOT NULL,
              agent TEXT NOT NULL REFERENCES agents(id), rate TEXT NOT NULL,
              PRIMARY KEY (project, work_type, agent), FOREIGN KEY (project, work_type) REFERENCES work_types(project, name))
            """,
            "CREATE TABLE designs (id TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT REFERENCES designs(id))",
            "CREATE TABLE units (serial TEXT PRIMARY KEY, design TEXT NOT NULL REFERENCES designs(id))",
            """
            CREATE TABLE events (seq BIGINT PRIMARY KEY, date TEXT NOT NULL, agent TEXT NOT NULL REFERENCES agents(id),
              project TEXT NOT NULL REFERENCES projects(id), kind TEXT NOT NULL, hours TEXT, work_type TEXT, rate TEXT,
              value BIGINT NOT NULL, design TEXT REFERENCES designs(id), unit TEXT REFERENCES units(serial),
              note TEXT, reverses BIGINT REFERENCES events(seq), recorded_at TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            """
            CREATE TABLE sales (id BIGINT PRIMARY KEY, project TEXT NOT NULL REFERENCES projects(id),
              unit TEXT NOT NULL REFERENCES units(serial), price BIGINT NOT NULL, currency TEXT NOT NULL,
              date TEXT NOT NULL, buyer TEXT NOT NULL, direct_costs BIGINT NOT NULL)
            """,
            """
            CREATE TABLE equations (project TEXT NOT NULL REFERENCES projects(id), version BIGINT NOT NULL,
              body TEXT NOT NULL, PRIMARY KEY (project, version))
            """,
            """
            CREATE TABLE claims (project TEXT NOT NULL, bucket TEXT NOT NULL, event BIGINT NOT NULL REFERENCES events(seq),
              agent TEXT NOT NULL, rule TEXT NOT NULL, original BIGINT NOT NULL, balance BIGINT NOT NULL,
              paid BIGINT NOT NULL, PRIMARY KEY (project, bucket, event))
            """,
            """
            CREATE TABLE distributions (sale BIGINT PRIMARY KEY REFERENCES sales(id), project TEXT NOT NULL,
              currency TEXT NOT NULL, distributable BIGINT NOT NULL, equation_version BIGINT NOT NULL,
              snapshot TEXT NOT NULL)
            """,
            """
            CREATE TABLE distribution_lines (sale BIGINT NOT NULL REFERENCES distributions(sale), line BIGINT NOT NULL,
              bucket TEXT, agent TEXT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (sale, line))
            """,
            """
            CREATE TABLE claim_payments (sale BIGINT NOT NULL REFERENCES distributions(sale), bucket TEXT NOT NULL,
              event BIGINT NOT NULL, agent TEXT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (sale, bucket, event))
            """,
            // The chain's head, so truncating the newest events is detected too.
            "CREATE TABLE chain_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        ]),
        // Version 2 chains the distributions (see DistributionChain). Distributions already present are
        // hashed as found, in sale order, and the claims as found are kept as the baseline a replay starts from.
        Migration(version: 2, statements: [
            "ALTER TABLE distributions ADD COLUMN position BIGINT",
            "ALTER TABLE distributions ADD COLUMN events_seq BIGINT",
            "ALTER TABLE distributions ADD COLUMN events_hash TEXT",
            "ALTER TABLE distributions ADD COLUMN sale_digest TEXT",
            "ALTER TABLE distributions ADD COLUMN previous_hash TEXT",
            "ALTER TABLE distributions ADD COLUMN hash TEXT",
            "CREATE TABLE distribution_head (id BIGINT PRIMARY KEY, position BIGINT NOT NULL, hash TEXT NOT NULL)",
            """
            CREATE TABLE claims_baseline (project TEXT NOT NULL, bucket TEXT NOT NULL, event BIGINT NOT NULL,
              agent TEXT NOT NULL, rule TEXT NOT NULL, original BIGINT NOT NULL, balance BIGINT NOT NULL,
              paid BIGINT NOT NULL, PRIMARY KEY (project, bucket, event))
            """,
            "INSERT INTO claims_baseline (\(Rows.claimColumns)) SELECT \(Rows.claimColumns) FROM claims",
        ], backfill: { session throws(LedgerError) in
            try await SQLLedgerStore.chainExistingDistributions(session)
            try await session.execute("CREATE UNIQUE INDEX distributions_by_position ON distributions (position)", [])
        }),
        // Version 3 lets a sale be reversed (a return, a cancelled order), so its unit can be sold again.
        Migration(version: 3, statements: [
            """
            CREATE TABLE sale_reversals (sale BIGINT PRIMARY KEY REFERENCES sales(id), date TEXT NOT NULL, note TEXT,
              recorded_at TEXT NOT NULL)
            """,
            "CREATE INDEX sales_by_unit ON sales (unit)",
        ]),
        // Version 4: a design may state how much of a sale of it is owed to its parent. Existing designs state
        // nothing (NULL), so every distribution made before replays with the bucket's lineage_weight as it did.
        Migration(version: 4, statements: ["ALTER TABLE designs ADD COLUMN cites TEXT"]),
        // Version 5: lots (a design produced in a quantity, sold in parts) and their write-offs. A lot's id is
        // also a row of `units`, so events and sales name it as they name a unit; every existing sale sold a
        // unit whole (quantity NULL), so its digest and distribution replay exactly as before.
        Migration(version: 5, statements: [
            """
            CREATE TABLE lots (id TEXT PRIMARY KEY REFERENCES units(serial), quantity BIGINT NOT NULL,
              measure TEXT NOT NULL, expires TEXT)
            """,
            """
            CREATE TABLE lot_write_offs (id BIGINT PRIMARY KEY, lot TEXT NOT NULL REFERENCES lots(id),
              quantity BIGINT NOT NULL, date TEXT NOT NULL, reason TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            "ALTER TABLE sales ADD COLUMN quantity BIGINT",
        ]),
        // Version 6: sales of several lines. A one-line sale has no rows here (as every earlier sale), so its
        // digest and distribution are unchanged.
        Migration(version: 6, statements: [
            """
            CREATE TABLE sale_lines (sale BIGINT NOT NULL REFERENCES sales(id), line BIGINT NOT NULL,
              unit TEXT NOT NULL REFERENCES units(serial), quantity BIGINT, price BIGINT NOT NULL, PRIMARY KEY (sale, line))
            """,
            "CREATE INDEX sale_lines_by_unit ON sale_lines (unit)",
        ]),
        // Version 7: a contribution's resource quantity (12 kg) and the gift flag. NULL for every earlier event,
        // whose hash covers neither, so the event chain verifies as before.
        Migration(version: 7, statements: [
            "ALTER TABLE events ADD COLUMN quantity TEXT",
            "ALTER TABLE events ADD COLUMN quantity_unit TEXT",
            "ALTER TABLE events ADD COLUMN gift BIGINT",
        ]),
        // Version 8: work shared across lots, one row per lot with its weight. No earlier event has rows here, and
        // the hash covers the lots only when there are some, so every earlier event and distribution verifies as before.
        Migration(version: 8, statements: [
            """
            CREATE TABLE event_lots (event BIGINT NOT NULL REFERENCES events(seq), position BIGINT NOT NULL,
              lot TEXT NOT NULL REFERENCES lots(id), weight TEXT NOT NULL, PRIMARY KEY (event, position))
            """,
            "CREATE INDEX event_lots_by_lot ON event_lots (lot)",
        ]),
        // Version 9: what an event credits (a calibration certificate), held by at most one event: the append
        // looks it up in its transaction, and the unique index refuses a second row whatever wrote it. NULL for
        // every earlier event (a unique index admits any number of NULLs), whose hash covers no reference.
        Migration(version: 9, statements: [
            "ALTER TABLE events ADD COLUMN source_reference TEXT",
            "CREATE UNIQUE INDEX events_by_source_reference ON events (source_reference)",
        ]),
    ]

    static func migrate(_ database: any SQLDatabase) async throws(LedgerError) {
        try await database.transaction { session throws(LedgerError) in
            try await session.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)", [])
            // A newer mosquito may have added tables and chains this one would write around, so that its own
            // `verify` would later report honest rows as tampering: refuse before touching anything.
            let newest = try await session.query("SELECT MAX(version) FROM schema_migrations", [])
            if case .integer(let version)? = newest.first?.first, version > latestVersion {
                throw .storage("this ledger has schema version \(version), newer than this mosquito understands (\(latestVersion)); upgrade mosquito to use it")
            }
        }
        for migration in migrations {
            try await database.transaction { session throws(LedgerError) in
                let applied = try await session.query("SELECT version FROM schema_migrations WHERE version = ?",
                                                      [.integer(migration.version)])
                guard applied.isEmpty else { return }
                for statement in migration.statements { try await session.execute(statement, []) }
                try await migration.backfill?(session)
                try await session.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                          [.integer(migration.version), .text(Timestamp.nowUTC())])
            }
        }
    }

    static var latestVersion: Int64 { migrations.last!.version }
}
