import Foundation

/// Wakes one waiting loop early (new work), or lets it sleep up to a time-out (real
/// time). A signal given while nobody waits is kept for the next wait.
final class WakeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    func signal() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            if let w = waiter {
                waiter = nil
                return w
            }
            pending = true
            return nil
        }
        w?.resume()
    }

    func wait(timeout: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ticket: Int? = lock.withLock {
                if pending {
                    pending = false
                    return nil
                }
                generation += 1
                waiter = continuation
                return generation
            }
            guard let ticket else { return continuation.resume() }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                let w: CheckedContinuation<Void, Never>? = self.lock.withLock {
                    guard self.generation == ticket, let w = self.waiter else { return nil }
                    self.waiter = nil
                    return w
                }
                w?.resume()
            }
        }
    }
}
