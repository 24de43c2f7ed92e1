import Foundation
import Hummingbird
import Logging
import Notifications
import OutcomeStore
import ServiceLifecycle
import Synchronization

/// The demo's notification channel: `demo-sink`, a signed webhook (docs/notifications.md)
/// to this receiver on a loopback port, which answers 200 and counts what arrives —
/// rules' notifications and Vigie's own alerts, each delivery id once. The runtime's
/// notifier delivers to it exactly as it would to a real channel (claims, attempts,
/// retries), so `vigie demo` shows deliveries end to end.
final class DemoSink: Sendable {
    static let channel = "demo-sink"

    /// What arrived: delivery ids seen, and how many were notifications and alerts.
    struct Received: Sendable, Equatable {
        var ids: Set<String> = []
        var notifications = 0
        var alerts = 0
    }

    /// `Received` behind a lock, shared with the route.
    private final class Tally: Sendable {
        let received = Mutex(Received())
    }

    private let tally = Tally()
    private let running = Mutex<(group: ServiceGroup?, task: Task<Void, Error>?)>((nil, nil))
    /// The webhook's secret (random, this run only).
    let secret = DemoStack.randomSecret()

    var counts: Received { tally.received.withLock { $0 } }

    /// Starts serving on a loopback port; returns the channel's configuration.
    func start() async throws -> ChannelConfiguration {
        let router = Router()
        router.post("/notify") { [tally] request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let id = request.headers[.init("webhook-id")!] else { return .badRequest }
            let kind = StoreJSON.parse(String(buffer: body))?["type"]?.stringValue
            tally.received.withLock { r in
                guard r.ids.insert(id).inserted else { return }
                if kind == "alert" { r.alerts += 1 } else { r.notifications += 1 }
            }
            return .ok
        }
        let port = DemoPromise<Int>()
        let logger = Logger(label: "vigie.demo.sink", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.resolve(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        running.withLock { $0 = (group, Task { try await group.run() }) }
        let bound = await port.value()
        return ChannelConfiguration(name: Self.channel, settings: .webhook(.init(
            url: URL(string: "http://127.0.0.1:\(bound)/notify")!, secret: ChannelSecret(secret))), timeout: 5)
    }

    func stop() async {
        let (group, task) = running.withLock { $0 }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }
}
