import Foundation
import StellantisAPI
import StellantisModels
import VigieRuntime

/// The runtime's API access in the demo, known only once the rules are applied: the
/// receiver must listen (its port is in the callback's URL) before the callback can be
/// created, and the remotes need the callback's id. Calls made before `resolve` wait.
final class DemoDeferredAPI: VehicleAPI, @unchecked Sendable {
    private let lock = NSLock()
    private var api: (any VehicleAPI)?
    private var waiters: [CheckedContinuation<any VehicleAPI, Never>] = []

    func resolve(_ api: any VehicleAPI) {
        let pending = lock.withLock { () -> [CheckedContinuation<any VehicleAPI, Never>] in
            self.api = api
            defer { waiters = [] }
            return waiters
        }
        for waiter in pending { waiter.resume(returning: api) }
    }

    private func ready() async -> any VehicleAPI {
        await withCheckedContinuation { continuation in
            let now = lock.withLock { () -> (any VehicleAPI)? in
                if let api { return api }
                waiters.append(continuation)
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    func postRemote(vin: String, body: Remote) async throws -> String {
        try await ready().postRemote(vin: vin, body: body)
    }

    func remotes(vin: String) async throws -> [RemoteAction] {
        try await ready().remotes(vin: vin)
    }

    func status(vin: String) async throws -> VehicleStatus {
        try await ready().status(vin: vin)
    }

    var rateLimitStatus: RateLimitStatus {
        lock.withLock { api }?.rateLimitStatus ?? RateLimitStatus()
    }
}
