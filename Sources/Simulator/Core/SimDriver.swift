import Foundation
import ServiceLifecycle
import VehicleData

/// Moves the simulation: advances the core to the clock's time, then POSTs the
/// notifications due (concurrently across callbacks, in order within one) and reports
/// their answers. The server runs it every `tickInterval`; tests call `tick()` themselves.
package struct SimDriver: Service, Sendable {
    package let core: SimCore
    package let clock: any VigieClock
    package let transport: any NotificationTransport
    package var tickInterval: Duration = .milliseconds(100)

    package init(core: SimCore, clock: any VigieClock, transport: any NotificationTransport) {
        self.core = core
        self.clock = clock
        self.transport = transport
    }

    /// One step: the world up to now, then every notification due (retries included).
    package func tick() async {
        await core.advance(to: clock.now())
        while true {
            let deliveries = await core.takeDeliveries()
            if deliveries.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for d in deliveries {
                    group.addTask {
                        let status = await transport.post(d)
                        await core.complete(d, status: status)
                    }
                }
            }
        }
    }

    /// Ticks until a graceful shutdown (SIGINT/SIGTERM) or cancellation, then returns
    /// normally, so `vigie sim` exits 0 when interrupted.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                do { try await Task.sleep(for: tickInterval) } catch { return }
            }
        }
    }
}
