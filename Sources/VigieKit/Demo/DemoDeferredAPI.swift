import Foundation
import StellantisAPI
import StellantisModels
import VigieRuntime

/// The runtime's API access in the demo, known only once the rules are applied: the
/// receiver must listen (its port is in the callback's URL) before the callback can be
/// created, and the remotes need the callback's id. Calls made before `resolve` wait.
final class DemoDeferredAPI: VehicleAPI, Sendable {
    private let api = DemoPromise<any VehicleAPI>()

    func resolve(_ api: any VehicleAPI) {
        self.api.resolve(api)
    }

    private func ready() async -> any VehicleAPI {
        await api.value()
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
        api.current?.rateLimitStatus ?? RateLimitStatus()
    }
}
