import Foundation
import OutcomeStore
import StellantisModels

extension Dispatcher {
    /// At start: commands a previous process left `sending` (stopped between marking
    /// and recording the POST) are settled by listing the vehicle's remotes.
    func recover(_ api: any VehicleAPI) async throws {
        for item in try await store.inFlightDispatchItems() where item.status == .sending {
            do {
                try await reconcileSending(item, api: api)
            } catch {
                logger.warning("could not reconcile a command left sending; will try again",
                                       metadata: meta(item, ["error": "\(error)"]))
            }
        }
    }

    /// In-flight commands no task is handling: `sending` ones (outcome unknown) are
    /// reconciled again; sent ones whose `Done` is overdue are reconciled by listing.
    /// Returns the instant the next in-flight command becomes overdue (a deadline), and
    /// whether a due one was left (its vehicle busy, or its reconciliation failed).
    func followInFlight(_ api: any VehicleAPI) async throws -> (next: Date?, unfinished: Bool) {
        let now = clock.now()
        var next: Date?
        var unfinished = false
        for item in try await store.inFlightDispatchItems() {
            let due: Date?
            switch item.status {
            case .sending?: due = (item.attemptStartedAt ?? now).addingTimeInterval(min(settings.remoteTimeout, 30))
            case .sent?, .pending?: due = (item.sentAt ?? now).addingTimeInterval(settings.remoteTimeout)
            default: due = nil
            }
            guard let due else { continue }
            guard due <= now else {
                next = min(next ?? due, due)
                continue
            }
            guard claim(item.vin) else {
                unfinished = true
                continue
            }
            defer { release(item.vin) }
            do {
                if item.status == .sending {
                    try await reconcileSending(item, api: api)
                } else {
                    try await reconcileOverdue(item, api: api)
                }
            } catch {
                unfinished = true
                logger.warning("reconciliation failed; will try again", metadata: meta(item, ["error": "\(error)"]))
                if APIAccess.isSessionFailure(error) { access.lost(APIAccess.sessionReason(error)) }
            }
        }
        return (next, unfinished)
    }

    /// A POST whose outcome is unknown: exactly one listed remote with its body that Vigie
    /// has not recorded is it; none means it was not applied (it may go again); several
    /// cannot be told apart, so the command fails rather than risk a second one.
    func reconcileSending(_ item: DispatchItem, api: any VehicleAPI) async throws {
        let listed = try await api.remotes(vin: item.vin)
        metrics.increment(RuntimeMetrics.apiCalls, ["operation": "listRemotes", "result": "ok"])
        let known = try await store.knownRemoteActionIds(vin: item.vin)
        let remote = try? JSONDecoder().decode(Remote.self, from: Data(item.body.utf8))
        let candidates = listed.filter { action in
            !known.contains(action.remoteActionId) && remote.map { Self.matches(action, $0) } == true
        }
        let now = clock.now()
        switch candidates.count {
        case 1:
            let found = candidates[0]
            logger.info("command found by listing", metadata: meta(item, ["remoteActionId": "\(found.remoteActionId)"]))
            report(try await store.recordDispatchAccepted(actionId: item.actionId, remoteActionId: found.remoteActionId,
                                                               httpStatus: nil, at: now, retry: settings.retryRule(now: now)))
            try await applyListed(found, item)
        case 0 where item.attempts < settings.maxAttempts:
            logger.notice("command was not applied; it goes back to the queue", metadata: meta(item))
            try await store.requeueDispatch(actionId: item.actionId, httpStatus: nil, detail: "not found by listing",
                                                 retryAt: now, at: now)
            retryScheduled(at: now)
        case 0:
            report([try await store.finishDispatch(actionId: item.actionId, status: .failed, failureCause: "not applied",
                                                         detail: "not found by listing; no attempt left", at: now)])
        default:
            logger.error("command outcome cannot be told; not sent again", metadata: meta(item, [
                "candidates": "\(candidates.map(\.remoteActionId))",
            ]))
            report([try await store.finishDispatch(actionId: item.actionId, status: .failed, failureCause: "outcome unknown",
                                                         detail: "\(candidates.count) matching remotes listed", at: now)])
        }
    }

    /// A sent command with no `Done` after `remoteTimeout`: the listing's final state if
    /// it has one, else `timedOut` (the vehicle's next command may go).
    func reconcileOverdue(_ item: DispatchItem, api: any VehicleAPI) async throws {
        let listed = try await api.remotes(vin: item.vin)
        metrics.increment(RuntimeMetrics.apiCalls, ["operation": "listRemotes", "result": "ok"])
        if let found = listed.first(where: { $0.remoteActionId == item.remoteActionId }), found.status?.known?.isDone == true {
            try await applyListed(found, item)
            return
        }
        logger.warning("command timed out", metadata: meta(item, ["remoteActionId": "\(item.remoteActionId ?? "-")"]))
        report([try await store.finishDispatch(actionId: item.actionId, status: .timedOut, failureCause: nil,
                                                     detail: "no Done within \(Int(settings.remoteTimeout)) s",
                                                     at: clock.now())])
    }

    /// Applies a listed remote's final state as if its `Done` notification had come.
    private func applyListed(_ action: RemoteAction, _ item: DispatchItem) async throws {
        guard let status = action.status, status.known?.isDone == true else { return }
        let event = DispatchRemoteEvent(remoteActionId: action.remoteActionId, type: "Done", status: status.rawValue,
                                        failureCause: action.failureCause?.rawValue)
        let now = clock.now()
        let result = try await store.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: settings.scope), remoteEvents: [event]),
            at: now, retry: settings.retryRule(now: now))
        report(result.transitions)
    }

    /// A listed action is ours when its body equals ours (ignoring the label), or — when
    /// the listing gives no body — when its type is ours.
    static func matches(_ action: RemoteAction, _ remote: Remote) -> Bool {
        if let listed = action.remote { return listed.action == remote.action }
        return action.type == remote.remoteType
    }
}
