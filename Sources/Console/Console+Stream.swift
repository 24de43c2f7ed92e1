import Foundation
import Hummingbird
import NIOCore
import OutcomeStore
import ServiceLifecycle

/// `GET /console/events`: Server-Sent Events, one `tick` a second with the overview's live
/// figures and the VINs whose engine state changed since the last one (a page showing
/// one of them reloads its content). Only counts and VINs: nothing secret goes out. The
/// stream ends after `streamEvents` ticks or when the server shuts down; the browser's
/// EventSource reconnects by itself.
extension Console {
    func stream(_ request: Request) -> Response {
        guard settings.token != nil else { return off() }
        guard access(request) != nil else { return unauthorized() }
        let console = self
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var since = try await console.source.database.consoleVehiclesChanged(scope: console.source.scope, since: nil,
                                                                           limit: 0).newest
            var sent = 0
            while sent < console.settings.streamEvents, !Task.isCancelled, !Task.isShuttingDownGracefully {
                try? await Task.sleep(nanoseconds: UInt64(console.settings.tick * 1_000_000_000))
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                let event = try await console.tick(since: &since)
                try await writer.write(ByteBuffer(string: event))
                sent += 1
            }
            try await writer.finish(nil)
        }
        var response = Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8"], body: body)
        response = Self.secured(response)
        return response
    }

    /// One `tick` event; moves `since` to the newest change seen.
    func tick(since: inout Date?) async throws -> String {
        let now = source.now()
        let changed = try await source.database.consoleVehiclesChanged(scope: source.scope, since: since, limit: 500)
        if let newest = changed.newest { since = max(since ?? newest, newest) }
        let figures = try await source.database.consoleOverview(scope: source.scope, now: now)
        let rate = intake.sample(source.notificationsStored(), at: now)
        let object: [String: Any] = [
            "changed": changed.vins, "fired": figures.firedLastHour, "inFlight": figures.outboxInFlight,
            "intakeRate": rate.map { String(format: "%.1f", $0) } ?? "–", "queued": figures.outboxQueued,
            "unprocessed": figures.inboxUnprocessed,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return "event: tick\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}
