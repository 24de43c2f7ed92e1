import Foundation
import VehicleData

/// The knobs of the live runtime, independent of how they were read (a `vigie.yaml`
/// through `VigieConfig`, or code in tests and the demo). Durations are seconds of the
/// runtime's clock; `sweep` and the API retry back-off are real time.
package struct RuntimeSettings: Sendable {
    /// Where the receiver listens (port 0 picks a free one).
    package var host: String
    package var port: Int
    /// Where the admin listener (`/metrics`, `/healthz`, `/readyz`, control API) listens;
    /// loopback by default (port 0 picks a free one; `vigie.yaml` defaults to 9464).
    package var adminHost: String = "127.0.0.1"
    package var adminPort: Int = 0
    /// The bearer token the control API requires (nil: the control API answers 403).
    package var adminToken: String? = nil
    /// The unguessable path part of the webhook route (never logged).
    package var webhookSecret: String
    /// Largest notification body accepted.
    package var maxBodyBytes: Int
    /// An observation older than this when processed updates state but a firing it
    /// causes is recorded as suppressed with reason `stale`.
    package var staleAfter: Double
    /// How long a remote may wait for its `Done` before it is reconciled by listing.
    package var remoteTimeout: Double
    /// Per-vehicle daily budgets (calendar day in `budgetTimeZone`).
    package var commandsPerDay: Int
    package var wakeUpsPerDay: Int
    /// Per-vehicle wake-ups per calendar month in `budgetTimeZone`; nil: no monthly cap.
    package var wakeUpsPerMonth: Int? = nil
    /// The time zone whose calendar days and months the budgets count (`budgets.timezone`).
    package var budgetTimeZone: TimeZone = TimeZone(identifier: "UTC")!
    /// Tries of one remote command in all (the first included), for causes worth retrying.
    package var maxAttempts: Int
    /// Back-off before retry n (0-based): `min(retryCap, retryBase · 2^n)` seconds.
    package var retryBase: Double
    package var retryCap: Double
    /// How many vehicles the dispatcher serves at once (each one command at a time).
    package var dispatchConcurrency: Int
    /// Inbox rows the engine loop takes per transaction.
    package var engineBatch: Int
    /// Real-time period of the services' safety sweep: the engine and the dispatcher are
    /// woken by signals and sleep until their next deadline on the clock; the sweep is
    /// only a fallback for a deadline they cannot know (a retry scheduled by an earlier
    /// process, a guardrail hold ending). Default 10 s.
    package var sweep: Double
    /// Engine state scope name in the database.
    package var scope: String
    /// How far the engine's event time (the watermark) runs behind the clock, in seconds:
    /// inputs dated at or before `now − reorderWindow` are observed in date order at their
    /// own dates; newer ones wait in the inbox. 0: everything is observed at once (the
    /// default in code, for tests and the demo whose clocks jump); `vigie.yaml`'s
    /// `engine.reorder_window` defaults to 2 s.
    package var reorderWindow: Double
    /// A notification dated more than this ahead of the clock when the engine first reads
    /// it (the sender's clock is off) is taken as received then.
    package var maxClockSkew: Double
    /// Real-time back-off between tries to reach the API while it is unavailable (at start
    /// or later): `min(apiRetryCap, apiRetryBase · 2^n)` seconds.
    package var apiRetryBase: Double = 1
    /// `notifications:` (docs/notifications.md): where notify actions are delivered, by the
    /// notifier service. nil: notify actions are recorded only.
    package var notifications: NotifierSettings? = nil
    /// serve's drift check of the deployed monitors (docs/notifications.md,
    /// "monitors-drifted"); nil: none.
    package var drift: DriftSettings? = nil
    /// On PostgreSQL: how the instances share the vehicles (`store.postgres.partitions`,
    /// `lease`, `post_deadline`; docs/cluster.md).
    package var partitions = VigieConfig.Partitions()
    package var apiRetryCap: Double = 60

    package init(host: String = "127.0.0.1", port: Int = 8080, webhookSecret: String,
                maxBodyBytes: Int = 4 * 1024 * 1024, staleAfter: Double = 300, remoteTimeout: Double = 600,
                commandsPerDay: Int = 10, wakeUpsPerDay: Int = 2, maxAttempts: Int = 3,
                retryBase: Double = 10, retryCap: Double = 300, dispatchConcurrency: Int = 8,
                engineBatch: Int = 500, sweep: Double = 10, scope: String = "serve",
                reorderWindow: Double = 0, maxClockSkew: Double = 5) {
        self.host = host
        self.port = port
        self.webhookSecret = webhookSecret
        self.maxBodyBytes = maxBodyBytes
        self.staleAfter = staleAfter
        self.remoteTimeout = remoteTimeout
        self.commandsPerDay = commandsPerDay
        self.wakeUpsPerDay = wakeUpsPerDay
        self.maxAttempts = max(1, maxAttempts)
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.dispatchConcurrency = max(1, dispatchConcurrency)
        self.engineBatch = max(1, engineBatch)
        self.sweep = max(0.01, sweep)
        self.scope = scope
        self.reorderWindow = max(0, reorderWindow)
        self.maxClockSkew = max(0, maxClockSkew)
    }

    /// The back-off before retry number `retry` (0 for the first retry).
    package func backoff(retry: Int) -> Double {
        Backoff(base: retryBase, cap: retryCap).delay(retry: retry)
    }
}
