import Foundation
import VehicleData
import ServiceLifecycle

/// The control watcher service: applies here the pauses and holds that `vigie pause` /
/// `vigie resume` (another process) or the admin control API wrote to the database.
/// Another process cannot signal this one, so it looks at the store's control version
/// every `period` (real time, 250 ms: one tiny read); when the holds changed — or a
/// guardrail hold ended with time — it wakes the dispatcher, which sends what was
/// released and holds what was paused.
struct ControlWatcher: Service {
    /// Re-reads the holds when their version changed; returns whether the holds in force
    /// changed (`SafetyGuard.watch(now:)`).
    let check: @Sendable (Date) -> Bool
    let clock: any VigieClock
    let dispatcher: DispatchWake
    let period: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: period) } catch { return }
                if check(clock.now()) { dispatcher.wake() }
            }
        }
    }
}
