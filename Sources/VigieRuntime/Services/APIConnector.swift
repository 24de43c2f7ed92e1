import Foundation
import Logging
import ServiceLifecycle
import VehicleData

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
        await cancelWhenGracefulShutdown { await watchSession() }
        await access.current?.shutdown()
    }

    /// After the access is attached: each time a service reports the session lost, probes
    /// with the same capped back-off until a probe succeeds (a `vigie login` meanwhile is
    /// read from the token store), then marks the API usable and wakes the dispatcher.
    private func watchSession() async {
        guard let api = access.current else { return await waitForShutdown() }
        while !Task.isCancelled {
            await access.lostSignal.wait(until: nil, clock: SystemClock())
            var retry = 0
            while !Task.isCancelled, !access.readiness.ready {
                let delay = Backoff(base: retryBase, cap: retryCap).delay(retry: retry)
                retry += 1
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
                do {
                    try await api.probe()
                    access.available()
                    dispatcher.wake()
                } catch {
                    if Task.isCancelled { return }
                    access.unavailable(APIAccess.sessionReason(error))
                }
            }
        }
    }

    private func waitForShutdown() async {
        while !Task.isCancelled {
            do { try await Task.sleep(nanoseconds: 3_600_000_000_000) } catch { return }
        }
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
                let delay = Backoff(base: retryBase, cap: retryCap).delay(retry: retry)
                retry += 1
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
            }
        }
    }
}
