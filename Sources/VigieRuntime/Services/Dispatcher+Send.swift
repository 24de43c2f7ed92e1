import Foundation
import Logging
import OutcomeStore
import StellantisAPI
import StellantisModels

extension Dispatcher {
    /// Before a command is claimed: dropped when its decision went stale while held,
    /// skipped when a budget is spent, failed when its body cannot be read; else its body.
    func prepare(_ item: DispatchItem, stale: Bool, now: Date) async -> Remote? {
        do {
            if stale {
                logger.warning("held command dropped: its decision is stale", metadata: meta(item))
                report([try await store.finishDispatch(actionId: item.actionId, status: .skipped, failureCause: "stale",
                                                             detail: "held until its decision was stale", at: now)])
                return nil
            }
            if let exceeded = try await budget.check(item, now: now, store: store) {
                try await skipForBudget(item, exceeded, now: now)
                return nil
            }
            guard let remote = try? JSONDecoder().decode(Remote.self, from: Data(item.body.utf8)) else {
                report([try await store.finishDispatch(actionId: item.actionId, status: .failed,
                                                             failureCause: "invalid body", at: now)])
                return nil
            }
            return remote
        } catch {
            logger.error("command could not be handled", metadata: meta(item, ["error": "\(error)"]))
            return nil
        }
    }

    private func skipForBudget(_ item: DispatchItem, _ exceeded: DispatchBudget.Exceeded, now: Date) async throws {
        let limit = budget.limit(exceeded)
        let detail = exceeded.detail(limit: limit)
        let period = exceeded == .wakeUpsPerMonth ? "monthly" : "daily"
        logger.warning("command skipped: \(period) budget spent", metadata: meta(item, [
            "budget": "\(exceeded.rawValue)", "limit": "\(limit)",
        ]))
        metrics.increment(RuntimeMetrics.budgetExceeded, ["budget": exceeded.rawValue])
        decisionGuard.recordBudgetStop(vin: item.vin, at: now, detail: detail)
        report([try await store.finishDispatch(actionId: item.actionId, status: .skipped, failureCause: "budget",
                                                     detail: detail, at: now)])
    }

    /// The POST and its outcome: accepted; not applied (retry later, if attempts are
    /// left); refused (failed); unknown (reconciled by listing, never re-POSTed blindly).
    func post(_ remote: Remote, _ item: DispatchItem, attempt: Int, api: any VehicleAPI) async {
        do {
            let id = try await api.postRemote(vin: item.vin, body: remote)
            metrics.increment(RuntimeMetrics.apiCalls, ["operation": "postRemote", "result": "ok"])
            metrics.increment(RuntimeMetrics.commandAttempts, ["result": "accepted"])
            let now = clock.now()
            logger.info("command sent", metadata: meta(item, ["remoteActionId": "\(id)", "attempt": "\(attempt)"]))
            report(try await acceptances.record(DispatchAcceptance(actionId: item.actionId, remoteActionId: id, at: now)))
        } catch {
            metrics.increment(RuntimeMetrics.apiCalls, ["operation": "postRemote", "result": "error"])
            do {
                try await failed(item, attempt: attempt, error: error, api: api)
            } catch {
                logger.error("command outcome could not be recorded", metadata: meta(item, ["error": "\(error)"]))
            }
        }
    }

    private func failed(_ item: DispatchItem, attempt: Int, error: Error, api: any VehicleAPI) async throws {
        let now = clock.now()
        let status = (error as? StellantisAPIError)?.status
        if APIAccess.isSessionFailure(error) {
            // Not acted on: the command waits for the session, whatever its attempts.
            metrics.increment(RuntimeMetrics.commandAttempts, ["result": "retry"])
            logger.notice("command waits: the session is unavailable", metadata: meta(item, ["attempt": "\(attempt)"]))
            try await store.requeueDispatch(actionId: item.actionId, httpStatus: status, detail: "\(error)", retryAt: now, at: now)
            access.lost(APIAccess.sessionReason(error))
            return
        }
        switch CommandRetry.verdict(for: error) {
        case .retry(let after) where attempt < settings.maxAttempts:
            let retryAt = now.addingTimeInterval(after ?? settings.backoff(retry: attempt - 1))
            metrics.increment(RuntimeMetrics.commandAttempts, ["result": "retry"])
            logger.notice("command not applied; will retry", metadata: meta(item, [
                "attempt": "\(attempt)", "error": "\(error)", "retryAt": "\(Timestamp.format(retryAt))",
            ]))
            try await store.requeueDispatch(actionId: item.actionId, httpStatus: status, detail: "\(error)",
                                                 retryAt: retryAt, at: now)
            retryScheduled(at: retryAt)
        case .retry, .reject:
            metrics.increment(RuntimeMetrics.commandAttempts, ["result": "rejected"])
            logger.warning("command failed", metadata: meta(item, ["attempt": "\(attempt)", "error": "\(error)"]))
            report([try await store.finishDispatch(actionId: item.actionId, status: .failed,
                                                         failureCause: status.map { "HTTP \($0)" } ?? "not applied",
                                                         detail: "\(error)", httpStatus: status, at: now)])
        case .unknown:
            metrics.increment(RuntimeMetrics.commandAttempts, ["result": "unknown"])
            logger.warning("command outcome unknown; reconciling by listing", metadata: meta(item, ["error": "\(error)"]))
            var sending = item
            sending.status = .sending
            sending.attempts = attempt
            sending.attemptStartedAt = now
            try await reconcileSending(sending, api: api)
        }
    }

    func meta(_ item: DispatchItem, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var m: Logger.Metadata = ["vin": "\(item.vin)", "rule": "\(item.bundle)/\(item.rule)", "actionId": "\(item.actionId)"]
        m.merge(extra) { _, new in new }
        return m
    }
}
