import Foundation
import Logging
import PostgresNIO

// The PostgreSQL schema, in ONE ordered list. Append-only, like the SQLite store's: a
// shipped migration never changes, a change is a new entry at the end. Names are
// snake_case (PostgreSQL folds unquoted names to lower case).
extension PostgresStore {
    /// The migrations, in the order they run: (identifier, statements).
    static let migrations: [(id: String, statements: [String])] = [
        ("v1-schema", schemaV1),
        ("v2-partition-lease", [
            // One row per partition: who runs it, under which epoch (bumped at each
            // takeover), until when in the database's clock (PostgresStore+Leases).
            """
            CREATE TABLE partition_lease (
                partition int PRIMARY KEY CHECK (partition >= 0), owner text, epoch bigint NOT NULL DEFAULT 0,
                expires_at timestamptz)
            """,
        ]),
        ("v3-notification-delivery", notificationSchema),
        ("manual-v1", manualV1),
        ("alerts-v1", alertsV1),
        ("v4-partition-member", [
            // The instances sharing the partitions, each renewing its row with its leases
            // (PartitionKeeper): a fair share is ⌈P / members alive in the database's clock⌉.
            "CREATE TABLE partition_member (owner text PRIMARY KEY, expires_at timestamptz NOT NULL)",
        ]),
        ("deployments-v1", deploymentsV1),
        ("v5-partitions", [
            // The partition of each inbox and outbox row (FNV-1a of the VIN modulo P, set by
            // the store that writes it; filled at serve start for rows written before), so an
            // owner reads its partitions' rows only (PartitionScope, docs/cluster.md).
            "ALTER TABLE inbox ADD COLUMN partition int",
            "ALTER TABLE outbox ADD COLUMN partition int",
            "CREATE INDEX inbox_unprocessed_partition ON inbox (partition, id) WHERE NOT processed",
            "CREATE INDEX outbox_partition_status ON outbox (partition, status, id)",
            // When a claim was made, in the database's clock: another instance reconciles a
            // command left `sending` only once its POST deadline has passed in that clock.
            "ALTER TABLE action_attempt ADD COLUMN claimed_at timestamptz DEFAULT now()",
            // P, fixed per deployment: an instance configured with another count is refused.
            "CREATE TABLE partition_config (id int PRIMARY KEY CHECK (id = 1), count int NOT NULL CHECK (count > 0))",
        ]),
        ("trace-v1", traceV1),
    ]

    /// Runs the migrations not applied yet, in one transaction (PostgreSQL's DDL is
    /// transactional: all or nothing) under an advisory lock, so that instances starting
    /// together migrate once.
    static func migrate(client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            let db = PGConnection(connection: connection, logger: logger)
            try await db.execute("BEGIN")
            do {
                try await db.execute("SELECT pg_advisory_xact_lock(\(migrationLockKey))")
                try await db.execute("""
                    CREATE TABLE IF NOT EXISTS vigie_migration (
                        identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
                    """)
                let applied = Set(try await db.rows("SELECT identifier FROM vigie_migration").map { try $0.decode(String.self) })
                for migration in migrations where !applied.contains(migration.id) {
                    for statement in migration.statements {
                        try await db.execute(PostgresQuery(unsafeSQL: statement))
                    }
                    try await db.execute("INSERT INTO vigie_migration (identifier) VALUES (\(migration.id))")
                }
                try await db.execute("COMMIT")
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The identifiers of the migrations, in the order they run.
    package static var migrationIdentifiers: [String] { migrations.map(\.id) }

    /// The advisory lock key migrations take ("vigiemig" in ASCII).
    static let migrationLockKey: Int64 = 0x7669_6769_656D_6967

    /// The migration identifiers applied to the database, in order.
    package func appliedMigrations() async throws -> [String] {
        try await withConnection { db in
            try await db.rows("SELECT identifier FROM vigie_migration ORDER BY applied_at, identifier")
                .map { try $0.decode(String.self) }
        }
    }

    static let schemaV1: [String] = [
        // Intake. Ids are handed out from `inbox_counter`, whose row each intake transaction
        // locks until it commits: ids therefore grow in commit order (see `appendIntake`).
        "CREATE TABLE inbox_counter (id int PRIMARY KEY CHECK (id = 1), last bigint NOT NULL)",
        "INSERT INTO inbox_counter (id, last) VALUES (1, 0)",
        """
        CREATE TABLE inbox (
            id bigint PRIMARY KEY, received_at timestamptz NOT NULL, dedup_key text NOT NULL UNIQUE,
            vin text, type text, event_date text, body text NOT NULL,
            processed boolean NOT NULL DEFAULT false, processed_at timestamptz,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id())
        """,
        "CREATE INDEX inbox_unprocessed_id ON inbox (id) WHERE NOT processed",
        """
        CREATE TABLE dead_letter (
            id bigserial PRIMARY KEY, received_at timestamptz NOT NULL, source text NOT NULL,
            body text NOT NULL, error text NOT NULL)
        """,
        // Decisions, their actions and each attempt at an action.
        """
        CREATE TABLE firing (
            id bigserial PRIMARY KEY, at timestamptz NOT NULL, vin text NOT NULL, bundle text NOT NULL,
            rule text NOT NULL, event text NOT NULL CHECK (event IN ('fired', 'suppressed')), reason text,
            actions text NOT NULL, inbox_id bigint, recorded_at timestamptz NOT NULL)
        """,
        "CREATE INDEX firing_on_at ON firing (at)",
        "CREATE INDEX firing_on_vin_at ON firing (vin, at)",
        "CREATE INDEX firing_on_rule_at ON firing (rule, at)",
        """
        CREATE TABLE action (
            id bigserial PRIMARY KEY, firing_id bigint NOT NULL REFERENCES firing (id) ON DELETE CASCADE,
            position int NOT NULL, kind text NOT NULL CHECK (kind IN ('remote', 'notify')), vin text NOT NULL,
            payload text NOT NULL, status text NOT NULL, attempts int NOT NULL DEFAULT 0, remote_action_id text,
            failure_cause text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            sent_at timestamptz, done_at timestamptz, UNIQUE (firing_id, position))
        """,
        "CREATE INDEX action_on_remote_action_id ON action (remote_action_id)",
        "CREATE INDEX action_on_vin ON action (vin) WHERE kind = 'remote'",
        """
        CREATE TABLE action_attempt (
            id bigserial PRIMARY KEY, action_id bigint NOT NULL REFERENCES action (id) ON DELETE CASCADE,
            attempt int NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz,
            remote_action_id text, http_status int, outcome text NOT NULL, failure_cause text, detail text,
            UNIQUE (action_id, attempt))
        """,
        // Commands waiting to be sent; at most one in flight per vehicle.
        """
        CREATE TABLE outbox (
            id bigserial PRIMARY KEY, action_id bigint NOT NULL UNIQUE REFERENCES action (id) ON DELETE CASCADE,
            vin text NOT NULL, body text NOT NULL,
            status text NOT NULL CHECK (status IN ('queued', 'inFlight', 'done')),
            not_before timestamptz, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
        """,
        "CREATE INDEX outbox_on_vin_status ON outbox (vin, status, id)",
        "CREATE UNIQUE INDEX outbox_one_in_flight_per_vehicle ON outbox (vin) WHERE status = 'inFlight'",
        """
        CREATE TABLE remote_event (
            id bigserial PRIMARY KEY, remote_action_id text NOT NULL, type text NOT NULL, status text NOT NULL,
            failure_cause text, event_date text, inbox_id bigint, received_at timestamptz NOT NULL,
            applied_at timestamptz)
        """,
        "CREATE INDEX remote_event_on_remote_action_id ON remote_event (remote_action_id, id)",
        // The engine's durable state.
        """
        CREATE TABLE engine_state (
            scope text NOT NULL, vin text NOT NULL, state bytea NOT NULL, updated_at timestamptz NOT NULL,
            PRIMARY KEY (scope, vin))
        """,
        """
        CREATE TABLE engine_checkpoint (
            scope text PRIMARY KEY, position bigint NOT NULL, at timestamptz, state bytea,
            updated_at timestamptz NOT NULL)
        """,
        // Holds (one open per kind and scope), the control journal and its version counter.
        """
        CREATE TABLE control_hold (
            id bigserial PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('pause', 'config', 'loop')),
            vin text, bundle text, rule text, reason text, created_at timestamptz NOT NULL,
            resumed_at timestamptz)
        """,
        """
        CREATE UNIQUE INDEX control_hold_one_open ON control_hold
            (kind, COALESCE(vin, ''), COALESCE(bundle, ''), COALESCE(rule, '')) WHERE resumed_at IS NULL
        """,
        """
        CREATE TABLE control_event (
            id bigserial PRIMARY KEY, at timestamptz NOT NULL, kind text NOT NULL, vin text, bundle text,
            rule text, hold_id bigint, detail text)
        """,
        "CREATE INDEX control_event_on_at ON control_event (at)",
        "CREATE INDEX control_event_on_kind_rule ON control_event (kind, vin, bundle, rule)",
        "CREATE TABLE control_version (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)",
        "INSERT INTO control_version (id, version) VALUES (1, 0)",
        """
        CREATE FUNCTION control_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE control_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
        """,
        """
        CREATE TRIGGER control_hold_changed AFTER INSERT OR UPDATE OR DELETE ON control_hold
            FOR EACH STATEMENT EXECUTE FUNCTION control_version_bump()
        """,
    ]
}
