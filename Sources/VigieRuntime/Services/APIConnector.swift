import Foundation
import Logging
import ServiceLifecycle

/// Builds the API access once the receiver listens (so nothing talks to the API before
/// notifications can be stored), trying again with capped back-off while the API or the
/// session is unavailable, and attaches it to `APIAccess` — the dispatcher and the
/// poller wait for it. At the end of shutdown (it is the last service but the admin
/// listener to stop) it releases the access's connections.
struct APIConnector: Service {
    let access: APIAccess
    /// Builds the access (client, deployed callback, vehicle ids).
    let provider: @Sendable () async throws -> any VehicleAPI
    /// Resolved once the receiver is bound.
    let listening: Once<Int>
    /// Woken once the access is attached.
    let dispatcher: DispatchWake
    /// Real-time back-off between tries: `min(cap, base · 2^n)` seconds.
    let retryBase: Double
    let retryCap: Double

    func run() async throws {
        await connect()
        try? await gracefulShutdown()
        await access.current?.shutdown()
    }

    /// Tries until the access is built, the receiver failed, or shutdown began.
    private func connect() async {
        await cancelWhenGracefulShutdown {
            guard (try? await listening.value()) != nil else { return }
            var retry = 0
            while !Task.isCancelled {
                do {
                    access.attach(try await provider())
                    dispatcher.wake()
                    return
                } catch {
                    if Task.isCancelled { return }
                    access.unavailable("\(error)")
                }
                let delay = min(retryCap, retryBase * pow(2, Double(min(retry, 20))))
                retry += 1
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
            }
        }
    }
}
