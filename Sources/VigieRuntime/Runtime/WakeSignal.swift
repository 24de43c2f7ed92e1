import Foundation
import VehicleData
import Synchronization

/// Wakes one waiting service early (new work), or lets it sleep until a deadline on its
/// runtime clock (the next timer, retry or time-out). A signal given while nobody waits
/// is kept for the next wait, and several signals before a wait count as one, so a
/// signaller never blocks and a waiter never misses work.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    init() {}

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal, at `deadline` on `clock` (nil: no deadline), after
    /// `sweep` seconds of real time (nil: never), or when the task is cancelled —
    /// whichever comes first.
    func wait(until deadline: Date?, clock: any VigieClock, sweep: Double? = nil) async {
        let timers = Mutex<[Task<Void, Never>]>([])
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ticket: Int? = state.withLock { s in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return nil
                    }
                    s.generation += 1
                    s.waiter = continuation
                    return s.generation
                }
                guard let ticket else { return continuation.resume() }
                timers.withLock { timers in
                    if let deadline {
                        timers.append(Task { [self] in
                            do { try await clock.sleep(until: deadline) } catch { return }
                            self.resume(ticket)
                        })
                    }
                    if let sweep {
                        timers.append(Task { [self] in
                            do { try await Task.sleep(nanoseconds: UInt64(max(0, sweep) * 1_000_000_000)) } catch { return }
                            self.resume(ticket)
                        })
                    }
                }
            }
        } onCancel: {
            let ticket = state.withLock { $0.generation }
            resume(ticket)
        }
        for timer in timers.withLock({ $0 }) { timer.cancel() }
    }

    /// Resumes the waiter of wait number `ticket` if it still waits.
    private func resume(_ ticket: Int) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            guard s.generation == ticket, let w = s.waiter else { return nil }
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }
}
