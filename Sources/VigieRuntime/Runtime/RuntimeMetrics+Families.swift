extension RuntimeMetrics {
    // Names of the runtime's metrics (docs/serve.md).
    package static let webhookRequests = "vigie_webhook_requests_total"
    package static let notificationsStored = "vigie_notifications_stored_total"
    package static let notificationsDuplicate = "vigie_notifications_duplicate_total"
    package static let notificationsDeadLetter = "vigie_notifications_dead_letter_total"
    package static let webhookRefused = "vigie_webhook_refused_total"
    package static let observations = "vigie_observations_total"
    package static let remoteEvents = "vigie_remote_events_total"
    package static let decisions = "vigie_decisions_total"
    package static let commands = "vigie_commands_total"
    package static let commandAttempts = "vigie_command_attempts_total"
    package static let budgetExceeded = "vigie_budget_exceeded_total"
    package static let inboxUnprocessed = "vigie_inbox_unprocessed"
    package static let outboxQueued = "vigie_outbox_queued"
    package static let outboxInFlight = "vigie_outbox_in_flight"
    package static let apiCalls = "vigie_api_calls_total"
    package static let rateLimitRemaining = "vigie_api_rate_limit_remaining"
    package static let rateLimitLimit = "vigie_api_rate_limit_limit"
    package static let polls = "vigie_polls_total"
    package static let engineTimerRuns = "vigie_engine_steps_total"
    package static let observationsLate = "vigie_observations_late_total"
    package static let engineHeld = "vigie_engine_held_inputs"
    package static let apiReady = "vigie_api_ready"
    package static let notificationDeliveries = "vigie_notification_deliveries_total"
    package static let notificationQueue = "vigie_notification_queue"
    package static let notificationOldest = "vigie_notification_oldest_seconds"
    package static let monitorsDrifted = "vigie_monitors_drifted"

    static let families: [Family] = [
        Family(name: webhookRequests, kind: .counter, help: "Notification requests received by the webhook route."),
        Family(name: notificationsStored, kind: .counter, help: "Notifications committed to the inbox."),
        Family(name: notificationsDuplicate, kind: .counter, help: "Notifications recognised as retries and not stored again."),
        Family(name: notificationsDeadLetter, kind: .counter, help: "Items stored as dead letters (not usable messages)."),
        Family(name: webhookRefused, kind: .counter,
               help: "Webhook requests refused, by reason (unauthorized, too_large, storage_failure).",
               labels: ["reason"], known: Family.product([["unauthorized", "too_large", "storage_failure"]])),
        Family(name: observations, kind: .counter, help: "Observations the engine consumed, by source (notification, poll).",
               labels: ["source"], known: Family.product([["notification", "poll"]])),
        Family(name: remoteEvents, kind: .counter, help: "Remote progress notifications applied, by type (Pending, Done).",
               labels: ["type"], known: Family.product([["Pending", "Done"]])),
        Family(name: decisions, kind: .counter, help: "Decisions committed, by event (fired, suppressed) and reason.",
               labels: ["event", "reason"],
               known: [["fired", "none"]] + Family.product([["suppressed"], [
                   "cooldown", "max_per_day", "running", "stale", "flapping", "loop", "budget", "paused"]])),
        Family(name: commands, kind: .counter,
               help: "Remote commands that reached a final outcome, by outcome (succeeded, alreadyDone, failed, timedOut, skipped).",
               labels: ["outcome"], known: Family.product([["succeeded", "alreadyDone", "failed", "timedOut", "skipped"]])),
        Family(name: commandAttempts, kind: .counter, help: "POSTs of remote commands, by result (accepted, retry, rejected, unknown).",
               labels: ["result"], known: Family.product([["accepted", "retry", "rejected", "unknown"]])),
        Family(name: budgetExceeded, kind: .counter, help: "Commands skipped because a vehicle's daily or monthly budget was spent, by budget.",
               labels: ["budget"], known: Family.product([["commands", "wakeUps", "wakeUpsPerMonth"]])),
        Family(name: inboxUnprocessed, kind: .gauge, help: "Notifications stored and not yet processed by the engine."),
        Family(name: outboxQueued, kind: .gauge, help: "Remote commands waiting in the outbox."),
        Family(name: outboxInFlight, kind: .gauge, help: "Remote commands sent (or being sent) and not finished."),
        Family(name: apiReady, kind: .gauge,
               help: "1 while the Stellantis API access works, 0 while it is unavailable (see /readyz for why)."),
        Family(name: apiCalls, kind: .counter, help: "Calls to the Stellantis API, by operation and result (ok, error).",
               labels: ["operation", "result"],
               known: Family.product([["postRemote", "listRemotes", "status"], ["ok", "error"]])),
        Family(name: rateLimitRemaining, kind: .gauge, help: "Requests left in the API's rate-limit window (day, burst), as last reported.",
               labels: ["window"]),
        Family(name: rateLimitLimit, kind: .gauge, help: "The API's rate limit per window (day, burst), as last reported.",
               labels: ["window"]),
        Family(name: polls, kind: .counter, help: "Status polls of vehicles watched by polling, by result (ok, error).",
               labels: ["result"], known: Family.product([["ok", "error"]])),
        Family(name: engineTimerRuns, kind: .counter, help: "Engine loop steps committed."),
        Family(name: observationsLate, kind: .counter,
               help: "Observations dated before the engine's clock when they could be processed (later than the reorder window), by source.",
               labels: ["source"], known: Family.product([["notification", "poll"]])),
        Family(name: engineHeld, kind: .gauge, help: "Inputs read and waiting for the engine's watermark to pass their date."),
        Family(name: notificationDeliveries, kind: .counter,
               help: "Notification delivery attempts that ended, by channel and outcome (delivered, retryable, failed, expired).",
               labels: ["channel", "outcome"]),
        Family(name: notificationQueue, kind: .gauge, help: "Notification deliveries not finished (queued, retrying or being sent)."),
        Family(name: notificationOldest, kind: .gauge,
               help: "Age in seconds of the oldest notification delivery not finished (0 when none)."),
        Family(name: monitorsDrifted, kind: .gauge,
               help: "Vigie's monitors deployed at the API that differ from the rules (missing, extra or changed) at serve's last drift check; 0 when they match or before the first check."),
    ]
}
